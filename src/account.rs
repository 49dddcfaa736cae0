//! User accounts as cron finds them for a job's `user`: the entry in
//! `/etc/passwd` (by name, or by uid for a number) and the supplementary
//! groups that list the user in `/etc/group`. The files are read directly,
//! not through NSS, so users known only to a directory service (LDAP,
//! sssd) are not found.

use std::fmt;

/// The passwd file.
pub(crate) const PASSWD: &str = "/etc/passwd";
/// The group file.
pub(crate) const GROUP: &str = "/etc/group";
/// The shell of an entry that names none, as `login` uses.
const DEFAULT_SHELL: &str = "/bin/sh";
/// The most supplementary groups kept (Linux's `NGROUPS_MAX`).
const MAX_GROUPS: usize = 65_536;

/// A user as a job's `user` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Who {
    Name(String),
    Uid(u32),
}

impl Who {
    /// A uid when `text` is all digits (and fits), else a name.
    pub(crate) fn of(text: &str) -> Who {
        match text.parse::<u32>() {
            Ok(uid) if text.bytes().all(|b| b.is_ascii_digit()) => Who::Uid(uid),
            _ => Who::Name(text.to_string()),
        }
    }
}

impl fmt::Display for Who {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Who::Name(name) => write!(f, "\"{name}\""),
            Who::Uid(uid) => write!(f, "uid {uid}"),
        }
    }
}

/// A user account: what a job run as it gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub uid: u32,
    /// The primary group.
    pub gid: u32,
    /// Every group of the user: the primary one, then those of `/etc/group`
    /// that list the user, as `initgroups` sets them.
    pub groups: Vec<u32>,
    pub home: String,
    pub shell: String,
}

/// The id field of an entry: a number, not `u32::MAX` (which stands for
/// "no change" in the system calls).
fn id(field: &str) -> Option<u32> {
    field.parse().ok().filter(|n| *n != u32::MAX)
}

/// The entry of `who` in the text of a passwd file, without its groups.
pub(crate) fn find(passwd: &str, who: &Who) -> Option<Account> {
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        let [name, _, uid, gid, _, home, shell] = fields[..] else {
            return None;
        };
        let uid = id(uid)?;
        let matches = match who {
            Who::Name(n) => n == name,
            Who::Uid(u) => *u == uid,
        };
        if !matches {
            return None;
        }
        Some(Account {
            name: name.to_string(),
            uid,
            gid: id(gid)?,
            groups: Vec::new(),
            home: home.to_string(),
            shell: if shell.is_empty() {
                DEFAULT_SHELL.to_string()
            } else {
                shell.to_string()
            },
        })
    })
}

/// The groups of the user `name` with primary group `gid`, from the text of
/// a group file: `gid` first, then each group listing `name`, once each.
pub(crate) fn groups(group: &str, name: &str, gid: u32) -> Vec<u32> {
    let mut list = vec![gid];
    for line in group.lines() {
        let fields: Vec<&str> = line.split(':').collect();
        let [_, _, g, members] = fields[..] else {
            continue;
        };
        if let Some(g) = id(g)
            && members.split(',').any(|m| m.trim() == name)
            && !list.contains(&g)
            && list.len() < MAX_GROUPS
        {
            list.push(g);
        }
    }
    list
}

/// Looks `who` up in the system's files; `Ok(None)` when there is no such
/// user, `Err` with why when the passwd file cannot be read.
pub(crate) fn lookup(who: &Who) -> Result<Option<Account>, String> {
    let passwd =
        std::fs::read_to_string(PASSWD).map_err(|e| format!("cannot read {PASSWD}: {e}"))?;
    let Some(mut account) = find(&passwd, who) else {
        return Ok(None);
    };
    // No group file: the primary group only.
    let group = std::fs::read_to_string(GROUP).unwrap_or_default();
    account.groups = groups(&group, &account.name, account.gid);
    Ok(Some(account))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD_TEXT: &str = "root:x:0:0:root:/root:/bin/bash\n\
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
        broken line\n\
        odd:x:notanumber:1::/:\n\
        nobody:x:65534:65534:nobody:/nonexistent:\n";
    const GROUP_TEXT: &str = "root:x:0:\n\
        adm:x:4:syslog,nobody\n\
        users:x:100: nobody , daemon\n\
        nogroup:x:65534:nobody\n\
        bad\n";

    #[test]
    fn users_are_found_by_name_or_uid_with_their_groups() {
        let cases = [
            (Who::Name("root".into()), Some((0, 0, "/root", "/bin/bash"))),
            (Who::Uid(1), Some((1, 1, "/usr/sbin", "/usr/sbin/nologin"))),
            (
                Who::Name("nobody".into()),
                Some((65534, 65534, "/nonexistent", "/bin/sh")),
            ),
            (Who::Name("odd".into()), None),
            (Who::Name("ghost".into()), None),
            (Who::Uid(7), None),
        ];
        for (who, want) in cases {
            let got = find(PASSWD_TEXT, &who).map(|a| (a.uid, a.gid, a.home, a.shell));
            let want = want.map(|(u, g, h, s)| (u, g, h.to_string(), s.to_string()));
            assert_eq!(got, want, "{who}");
        }
        assert_eq!(groups(GROUP_TEXT, "nobody", 65534), [65534, 4, 100]);
        assert_eq!(groups(GROUP_TEXT, "daemon", 1), [1, 100]);
        assert_eq!(groups(GROUP_TEXT, "root", 0), [0]);
    }
}
