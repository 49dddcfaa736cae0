//! A job's `user`: which account it runs as, looked up when the file is
//! loaded. Only root can run a job as another user; as anyone else, a
//! `user` that is not oneself is a problem.

use super::diagnostic::Diagnostics;
use super::values::Value;
use crate::account::{self, Account, Who};
use std::ops::Range;
use toml::de::DeValue;

/// The `user` value: a name, or a uid (an integer, or a string of digits).
pub(super) fn who(
    diags: &mut Diagnostics<'_>,
    v: &Value<'_, '_>,
    what: &str,
) -> Option<(Who, Range<usize>)> {
    let who = match v.raw() {
        DeValue::Integer(_) => {
            let n = v.count(diags, what, 0, i64::from(u32::MAX) - 1)?;
            Who::Uid(u32::try_from(n).ok()?)
        }
        DeValue::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            match s.parse::<u32>() {
                Ok(n) if n != u32::MAX => Who::Uid(n),
                _ => {
                    diags.error(v.span(), format!("{what}: uid {s} is too large"), None);
                    return None;
                }
            }
        }
        DeValue::String(s) if s.is_empty() || s.contains([':', '\n', '\0']) => {
            diags.error(
                v.span(),
                format!("{what} must be a user name or a uid"),
                Some("user = \"backup\" or user = 34".into()),
            );
            return None;
        }
        DeValue::String(s) => Who::Name(s.to_string()),
        _ => {
            diags.error(
                v.span(),
                format!(
                    "{what} must be a user name or a uid, not {}",
                    v.raw().type_str()
                ),
                Some("user = \"backup\" or user = 34".into()),
            );
            return None;
        }
    };
    Some((who, v.span()))
}

/// Whether a scheduler running with effective uid `euid` may run a job as
/// `account`: root may run as anyone, others only as themselves.
pub(super) fn allowed(euid: u32, account: &Account) -> bool {
    euid == 0 || euid == account.uid
}

/// The account of job `name`'s `user`, checked against who runs apsched.
pub(super) fn resolve(
    diags: &mut Diagnostics<'_>,
    (who, span): (Who, Range<usize>),
    name: &str,
) -> Option<Account> {
    match account_for(&who) {
        Ok(account) => Some(account),
        Err((problem, hint)) => {
            diags.error(
                span,
                format!("job \"{name}\" {problem}"),
                hint.map(Into::into),
            );
            None
        }
    }
}

/// The account `who` names, if apsched may run a job as it; else what is
/// wrong (to follow the job's name) and how to fix it.
pub(crate) fn account_for(who: &Who) -> Result<Account, (String, Option<&'static str>)> {
    let account = match account::lookup(who) {
        Ok(Some(account)) => account,
        Ok(None) => {
            return Err((
                format!(
                    "runs as user {who}, which does not exist (no entry in {})",
                    account::PASSWD
                ),
                Some("name a user of this system, or drop user"),
            ));
        }
        Err(why) => return Err((format!("cannot run as user {who}: {why}"), None)),
    };
    let euid = rustix::process::geteuid().as_raw();
    if !allowed(euid, &account) {
        return Err((
            format!(
                "runs as user \"{}\" (uid {}), but apsched runs as uid {euid}, not root: only root can run a job as another user",
                account.name, account.uid
            ),
            Some("run apsched as root, run it as that user, or drop user"),
        ));
    }
    Ok(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_root_runs_jobs_as_others() {
        let account = |uid| Account {
            name: "u".into(),
            uid,
            gid: uid,
            groups: vec![uid],
            home: "/".into(),
            shell: "/bin/sh".into(),
        };
        // (apsched's euid, the job's uid, allowed)
        let cases = [
            (0, 0, true),
            (0, 65534, true),
            (1000, 1000, true),
            (1000, 0, false),
            (1000, 65534, false),
        ];
        for (euid, uid, want) in cases {
            assert_eq!(allowed(euid, &account(uid)), want, "{euid} {uid}");
        }
    }
}
