//! Connecting with or without TLS. The default build has no TLS: unix
//! sockets and `sslmode=disable`/`prefer` (the driver's default, which then
//! connects in the clear) work, and `sslmode=require` is refused with how
//! to get TLS. Built with `--features tls`, a connection whose `sslmode` is
//! not `disable` uses rustls with the Mozilla root certificates
//! (`webpki-roots`), verifying the server's certificate and name.

use crate::store::StoreError;
use postgres::Client;
use postgres::config::SslMode;

/// Opens the connection `config` names, with TLS when it asks for it.
pub(super) fn open(config: &postgres::Config) -> Result<Client, Failed> {
    if config.get_ssl_mode() == SslMode::Disable {
        return config.connect(postgres::NoTls).map_err(Failed::Driver);
    }
    with_tls(config)
}

/// Why a connection was not opened.
pub(super) enum Failed {
    /// The driver's error (the server, the network).
    Driver(postgres::Error),
    /// TLS was asked for and this build has none, or cannot set it up.
    Tls(StoreError),
}

#[cfg(not(feature = "tls"))]
fn with_tls(config: &postgres::Config) -> Result<Client, Failed> {
    if config.get_ssl_mode() == SslMode::Require {
        return Err(Failed::Tls(StoreError::Database(
            "the connection string asks for TLS (sslmode=require), and this apsched was built without it; build it with `cargo build --release --features tls`, or connect over a unix socket".into(),
        )));
    }
    config.connect(postgres::NoTls).map_err(Failed::Driver)
}

#[cfg(feature = "tls")]
fn with_tls(config: &postgres::Config) -> Result<Client, Failed> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Failed::Tls(StoreError::Database(format!("cannot set up TLS: {e}"))))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_postgres_rustls::MakeRustlsConnect::new(tls);
    config.connect(connector).map_err(Failed::Driver)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(not(feature = "tls"))]
    fn tls_asked_of_a_build_without_it_says_how_to_get_it() {
        let config: postgres::Config = "host=/nonexistent dbname=x sslmode=require"
            .parse()
            .expect("dsn");
        match open(&config) {
            Err(Failed::Tls(e)) => assert!(e.to_string().contains("--features tls"), "{e}"),
            _ => panic!("sslmode=require without TLS must be refused"),
        }
    }

    #[test]
    #[cfg(feature = "tls")]
    fn tls_is_set_up_when_asked_for() {
        // Nothing listens there: the failure is the network's, not TLS's.
        let config: postgres::Config =
            "host=127.0.0.1 port=1 dbname=x sslmode=require connect_timeout=1"
                .parse()
                .expect("dsn");
        assert!(matches!(open(&config), Err(Failed::Driver(_))));
    }
}
