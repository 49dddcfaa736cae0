//! The `[metrics]` section: where `apsched run` serves its Prometheus
//! metrics and health endpoint (`listen`), and the same address given as
//! `--metrics-listen`.

use super::diagnostic::Diagnostics;
use super::values::{Value, unknown_key};
use std::fmt;

const METRICS_KEYS: &[&str] = &["listen"];

/// The port a listen address without one gets (supercronic's, and the one
/// the man page names).
pub(crate) const DEFAULT_PORT: u16 = 9746;

/// Where the metrics endpoint listens: a host (an IP address or a name,
/// resolved when binding) and a port (0 for any free one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listen {
    pub host: String,
    pub port: u16,
}

impl fmt::Display for Listen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// The hint of every malformed address.
const HINT: &str = "write HOST:PORT, such as \"127.0.0.1:9746\" (this machine only) or \"0.0.0.0:9746\" (every interface); a bare host gets port 9746, port 0 any free port";

/// Reads a listen address: `HOST:PORT`, `[IPV6]:PORT`, or a bare host or
/// IPv6 address (port 9746); the problem, for people, when it is not one.
pub(crate) fn parse_listen(text: &str) -> Result<Listen, String> {
    let bad = |why: &str| Err(format!("{why} ({HINT})"));
    if text.is_empty() {
        return bad("the address is empty");
    }
    if text.parse::<std::net::Ipv6Addr>().is_ok() {
        return Ok(Listen {
            host: text.to_string(),
            port: DEFAULT_PORT,
        });
    }
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        let Some((host, after)) = rest.split_once(']') else {
            return bad("the address has \"[\" without \"]\"");
        };
        if host.parse::<std::net::Ipv6Addr>().is_err() {
            return bad(&format!("\"{host}\" in brackets is not an IPv6 address"));
        }
        match after {
            "" => (host, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => return bad("the address has text after \"]\" that is not \":PORT\""),
            },
        }
    } else {
        match text.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    if host.is_empty() {
        return bad("the address has no host");
    }
    let name_ok = host.parse::<std::net::Ipv6Addr>().is_ok()
        || host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !name_ok {
        return bad(&format!("\"{host}\" is not a host name or IP address"));
    }
    let port = match port {
        None => DEFAULT_PORT,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if p.chars().all(|c| c.is_ascii_digit()) => n,
            _ => return bad(&format!("\"{p}\" is not a port number (0 to 65535)")),
        },
    };
    Ok(Listen {
        host: host.to_string(),
        port,
    })
}

/// Reads `[metrics]`: the listen address, if given.
pub(super) fn metrics(diags: &mut Diagnostics<'_>, v: &Value<'_, '_>) -> Option<Listen> {
    let table = v.table(diags, "[metrics]")?;
    let mut listen = None;
    for (key, value) in table {
        let v = Value::new(value);
        let name = key.get_ref().as_ref();
        match name {
            "listen" => {
                let text = v.string(diags, "metrics.listen")?;
                match parse_listen(text) {
                    Ok(l) => listen = Some(l),
                    Err(problem) => {
                        diags.error(v.span(), format!("metrics.listen: {problem}"), None);
                    }
                }
            }
            other => unknown_key(diags, key, other, METRICS_KEYS, "in [metrics]"),
        }
    }
    listen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse;
    use std::path::Path;

    /// An address, and the host and port it reads as, or a problem.
    type Case = (&'static str, Result<(&'static str, u16), &'static str>);

    #[test]
    fn listen_addresses() {
        let cases: &[Case] = &[
            ("127.0.0.1:9746", Ok(("127.0.0.1", 9746))),
            ("127.0.0.1", Ok(("127.0.0.1", 9746))),
            ("0.0.0.0:0", Ok(("0.0.0.0", 0))),
            ("localhost:8080", Ok(("localhost", 8080))),
            ("[::1]:9000", Ok(("::1", 9000))),
            ("[::1]", Ok(("::1", 9746))),
            ("::1", Ok(("::1", 9746))),
            ("", Err("the address is empty")),
            (":9746", Err("the address has no host")),
            ("127.0.0.1:http", Err("\"http\" is not a port number")),
            ("127.0.0.1:65536", Err("\"65536\" is not a port number")),
            ("127.0.0.1:+80", Err("\"+80\" is not a port number")),
            ("[::1", Err("without \"]\"")),
            ("[x]:1", Err("is not an IPv6 address")),
            ("[::1]x", Err("not \":PORT\"")),
            ("http://x:1", Err("\"http://x\" is not a host name")),
            ("a b:1", Err("\"a b\" is not a host name")),
        ];
        for (text, want) in cases {
            let got = parse_listen(text);
            match (got, want) {
                (Ok(l), Ok((host, port))) => {
                    assert_eq!((l.host.as_str(), l.port), (*host, *port), "{text}");
                }
                (Err(e), Err(want)) => {
                    assert!(e.contains(want), "{text}: {e}");
                    assert!(e.contains("HOST:PORT"), "{text}: {e}");
                }
                (got, want) => panic!("{text}: {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn listen_displays_as_written_back() {
        for text in ["127.0.0.1:9746", "[::1]:80", "localhost:0"] {
            let listen = parse_listen(text).expect("valid");
            assert_eq!(listen.to_string(), text);
        }
    }

    #[test]
    fn the_metrics_table_is_read_with_positions() {
        let job = "[jobs.a]\ncommand = \"true\"\ncron = \"@daily\"\n";
        let cases: &[(&str, Result<Option<&str>, &str>)] = &[
            ("", Ok(None)),
            ("[metrics]\n", Ok(None)),
            (
                "[metrics]\nlisten = \"0.0.0.0\"\n",
                Ok(Some("0.0.0.0:9746")),
            ),
            (
                "[metrics]\nlisten = 9746\n",
                Err("s.toml:2:10: metrics.listen must be a string, not integer"),
            ),
            (
                "[metrics]\nlisten = \":1\"\n",
                Err("s.toml:2:10: metrics.listen: the address has no host"),
            ),
            (
                "[metrics]\nlisen = \"x\"\n",
                Err("s.toml:2:1: unknown key \"lisen\" in [metrics] (did you mean \"listen\"?)"),
            ),
            (
                "metrics = 1\n",
                Err("s.toml:1:11: [metrics] must be a table"),
            ),
        ];
        for (text, want) in cases {
            let source = format!("{text}[scheduler]\ntimezone = \"UTC\"\n{job}");
            let got = parse(Path::new("s.toml"), &source)
                .map(|c| c.metrics.map(|l| l.to_string()))
                .map_err(|d| d.iter().map(ToString::to_string).collect::<Vec<_>>());
            match (got, want) {
                (Ok(got), Ok(want)) => assert_eq!(got.as_deref(), *want, "{text}"),
                (Err(got), Err(want)) => assert!(got[0].starts_with(want), "{text}: {got:?}"),
                (got, want) => panic!("{text}: {got:?}, want {want:?}"),
            }
        }
    }
}
