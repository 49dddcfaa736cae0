//! Job ids made from commands: readable (`run-parts-cron-daily`), valid
//! job ids (lowercase letters, digits and `-`), unique in file order.

use std::collections::HashSet;

/// The longest id made from a command, before a `-N` suffix.
const MAX_LEN: usize = 40;

/// Programs that check or prepare rather than do the job: `test -x X &&`,
/// `cd / &&`, `[ -d D ] ||`.
const HELPERS: &[&str] = &[
    "cd", "test", "[", "[[", "]", "]]", "true", "false", ":", "command", "type", "which", "sleep",
    "fi", "done", "esac", "exit",
];

/// Words that lead a command without being its program.
const LEADERS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "exec", "time", "nice", "nohup",
    "ionice", "chronic", "flock",
];

/// One word of a command, or where a list or pipeline separates commands.
#[derive(Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    /// `|`: the next command is a later stage of the same pipeline.
    Pipe,
    /// `;`, `&&`, `||`, `&`, `(`, `)`, `{`, `}`, `` ` ``: a new pipeline.
    List,
}

/// Splits a shell command roughly into words and separators: quotes and
/// backslashes are honoured, redirections dropped, `#` ends it.
fn tokens(command: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut started = false;
    let mut chars = command.chars().peekable();
    let flush = |out: &mut Vec<Token>, word: &mut String, started: &mut bool| {
        if *started {
            match word.as_str() {
                "{" | "}" => out.push(Token::List),
                _ => out.push(Token::Word(std::mem::take(word))),
            }
            word.clear();
            *started = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => flush(&mut out, &mut word, &mut started),
            '\'' => {
                started = true;
                word.extend(chars.by_ref().take_while(|&q| q != '\''));
            }
            '"' => {
                started = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => word.extend(chars.next()),
                        _ => word.push(q),
                    }
                }
            }
            '\\' => {
                started = true;
                word.extend(chars.next());
            }
            '#' if !started => break,
            '>' | '<' => {
                // A redirection: drop it, its fd number and its target.
                if !word.bytes().all(|b| b.is_ascii_digit()) {
                    flush(&mut out, &mut word, &mut started);
                }
                word.clear();
                started = false;
                while chars
                    .next_if(|&n| matches!(n, '>' | '<' | '&' | '|'))
                    .is_some()
                {}
                while chars.next_if(|&n| n == ' ' || n == '\t').is_some() {}
                while chars
                    .next_if(|&n| !matches!(n, ' ' | '\t' | ';' | '|' | '&' | '(' | ')'))
                    .is_some()
                {}
            }
            '|' => {
                flush(&mut out, &mut word, &mut started);
                if chars.next_if_eq(&'|').is_some() {
                    out.push(Token::List);
                } else {
                    out.push(Token::Pipe);
                }
            }
            ';' | '&' | '(' | ')' | '`' => {
                flush(&mut out, &mut word, &mut started);
                out.push(Token::List);
            }
            _ => {
                started = true;
                word.push(c);
            }
        }
    }
    flush(&mut out, &mut word, &mut started);
    out
}

/// The simple commands that lead each pipeline, without their leading
/// keywords and assignments.
fn leading_commands(tokens: &[Token]) -> Vec<Vec<&str>> {
    let mut commands = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut in_later_stage = false;
    // After a leader, its options (`nice -n 19`) lead too.
    let mut after_leader = false;
    for token in tokens {
        match token {
            Token::Word(w) if !in_later_stage => {
                let assignment = w.split_once('=').is_some_and(|(n, _)| {
                    !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                });
                let option = w.starts_with('-') || w.bytes().all(|b| b.is_ascii_digit());
                let leader = LEADERS.contains(&w.as_str());
                if current.is_empty() && (leader || assignment || (after_leader && option)) {
                    after_leader |= leader;
                } else {
                    current.push(w);
                }
            }
            Token::Word(_) => {}
            Token::Pipe => in_later_stage = true,
            Token::List => {
                in_later_stage = false;
                after_leader = false;
                if !current.is_empty() {
                    commands.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        commands.push(current);
    }
    commands
}

/// The last path component of `word` (`/etc/cron.daily` → `cron.daily`).
fn base(word: &str) -> &str {
    word.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(word)
}

/// Lowercase letters and digits, every other run of characters one `-`.
fn slug(words: &[&str]) -> String {
    let mut out = String::new();
    for c in words.join("-").chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.len() > MAX_LEN {
        match out[..MAX_LEN].rfind('-') {
            Some(cut) if cut > 0 => out.truncate(cut),
            _ => out.truncate(MAX_LEN),
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The id a command suggests: its main program and up to two arguments
/// that are not options (`run-parts --report /etc/cron.daily` →
/// `run-parts-cron-daily`); `job` when nothing readable is left.
pub(super) fn from_command(command: &str) -> String {
    let tokens = tokens(command);
    let commands = leading_commands(&tokens);
    let main = commands
        .iter()
        .rev()
        .find(|c| !HELPERS.contains(&base(c[0])))
        .or_else(|| commands.first());
    let Some(main) = main else {
        return "job".into();
    };
    let mut words = vec![base(main[0])];
    words.extend(
        main[1..]
            .iter()
            .filter(|w| !w.starts_with('-') && !base(w).is_empty())
            .map(|w| base(w))
            .take(2),
    );
    let id = slug(&words);
    if id.is_empty() { "job".into() } else { id }
}

/// Gives out ids unique in file order: the first `backup` stays `backup`,
/// the next ones are `backup-2`, `backup-3`.
#[derive(Default)]
pub(super) struct Ids {
    used: HashSet<String>,
}

impl Ids {
    /// A unique id for `wanted`.
    pub(super) fn unique(&mut self, wanted: &str) -> String {
        let mut id = wanted.to_string();
        let mut n = 2u64;
        while self.used.contains(&id) {
            id = format!("{wanted}-{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_name_the_program_and_its_first_arguments() {
        let cases = [
            ("/usr/local/bin/backup.sh", "backup-sh"),
            (
                "cd / && run-parts --report /etc/cron.hourly",
                "run-parts-cron-hourly",
            ),
            (
                "test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }",
                "run-parts-cron-daily",
            ),
            (
                "[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi",
                "sessionclean",
            ),
            (
                "command -v debian-sa1 > /dev/null && debian-sa1 1 1",
                "debian-sa1-1-1",
            ),
            (
                "test -e /run/systemd/system || SERVICE_MODE=1 /sbin/e2scrub_all -A -r",
                "e2scrub-all",
            ),
            (
                "test -x /usr/bin/certbot -a \\! -d /run/systemd/system && perl -e 'sleep int(rand(43200))' && certbot -q renew --no-random-sleep-on-renew",
                "certbot-renew",
            ),
            ("pg_dump mydb | gzip > /backup/db.gz", "pg-dump-mydb"),
            (
                "php /var/www/artisan schedule:run >> /dev/null 2>&1",
                "php-artisan-schedule-run",
            ),
            ("echo hi>/tmp/x", "echo-hi"),
            ("nice -n 19 ionice -c3 make all", "make-all"),
            ("\"/opt/my app/run\" 'a b'", "run-a-b"),
            ("FOO=1 BAR=2 ./sync.py --all", "sync-py"),
            ("cd /srv", "cd-srv"),
            ("# only a comment", "job"),
            ("))) ;;", "job"),
            ("ÜBER ünïcode", "ber-n-code"),
            (
                "a-very-long-program-name-that-goes-on-and-on --x and-an-argument",
                "a-very-long-program-name-that-goes-on",
            ),
        ];
        for (command, want) in cases {
            assert_eq!(from_command(command), want, "{command:?}");
        }
    }

    #[test]
    fn ids_are_unique_in_file_order() {
        let mut ids = Ids::default();
        let got: Vec<String> = ["a", "a", "a-2", "b", "a"]
            .iter()
            .map(|w| ids.unique(w))
            .collect();
        assert_eq!(got, ["a", "a-2", "a-2-2", "b", "a-3"]);
    }
}
