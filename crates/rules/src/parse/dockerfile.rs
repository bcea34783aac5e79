//! A Dockerfile reader: instructions with their lines, enough to read `ENV`,
//! `EXPOSE`, `CMD` and `FROM`. Owned here because the Dockerfile grammar we
//! need is a few lines (continuations, comments, two `ENV` forms) and the
//! crates that parse it pull in a grammar engine the web app would carry.

/// One instruction, its keyword upper-cased and its continuation lines joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub line: u32,
    pub keyword: String,
    pub args: String,
}

/// An `ENV` (or `ARG` default) binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub line: u32,
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dockerfile {
    pub instructions: Vec<Instruction>,
}

impl Dockerfile {
    pub fn parse(text: &str) -> Dockerfile {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut instructions = Vec::new();
        let mut pending: Option<(u32, String)> = None;
        for (index, raw) in text.lines().enumerate() {
            let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let line = raw.trim_end_matches('\r');
            let trimmed = line.trim();
            if trimmed.starts_with('#') || (trimmed.is_empty() && pending.is_none()) {
                continue;
            }
            let (start, mut buffer) = pending.take().unwrap_or((line_no, String::new()));
            let continued = trimmed.ends_with('\\');
            buffer.push_str(trimmed.strip_suffix('\\').unwrap_or(trimmed));
            if continued {
                buffer.push(' ');
                pending = Some((start, buffer));
            } else {
                instructions.extend(Instruction::from_text(start, &buffer));
            }
        }
        if let Some((start, buffer)) = pending {
            instructions.extend(Instruction::from_text(start, &buffer));
        }
        Dockerfile { instructions }
    }

    /// The instructions of the last build stage: what the image runs with.
    pub fn final_stage(&self) -> &[Instruction] {
        let start = self.instructions.iter().rposition(|i| i.keyword == "FROM").unwrap_or(0);
        self.instructions.get(start..).unwrap_or(&[])
    }

    /// `ENV` bindings of the final stage, in order (a later one wins).
    pub fn env(&self) -> Vec<EnvVar> {
        self.final_stage().iter().filter(|i| i.keyword == "ENV").flat_map(|i| parse_env(i.line, &i.args)).collect()
    }

    /// Ports named by `EXPOSE` in the final stage.
    pub fn exposed_ports(&self) -> Vec<(u32, u16)> {
        self.final_stage()
            .iter()
            .filter(|i| i.keyword == "EXPOSE")
            .flat_map(|i| {
                i.args
                    .split_whitespace()
                    .filter_map(move |p| p.split('/').next()?.parse().ok().map(|port| (i.line, port)))
            })
            .collect()
    }

    /// The base image of the final stage.
    pub fn base_image(&self) -> Option<&str> {
        self.final_stage()
            .first()
            .filter(|i| i.keyword == "FROM")
            .and_then(|i| i.args.split_whitespace().find(|word| !word.starts_with("--")))
    }
}

impl Instruction {
    fn from_text(line: u32, text: &str) -> Option<Instruction> {
        let text = text.trim();
        let (keyword, args) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        if keyword.is_empty() {
            return None;
        }
        Some(Instruction { line, keyword: keyword.to_ascii_uppercase(), args: args.trim().to_owned() })
    }
}

/// `ENV A=1 B="two words"` or the legacy `ENV A one value`.
fn parse_env(line: u32, args: &str) -> Vec<EnvVar> {
    let first = args.split_whitespace().next().unwrap_or("");
    if !first.contains('=') {
        let (name, value) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
        return vec![EnvVar { line, name: name.to_owned(), value: value.trim().to_owned() }];
    }
    split_words(args)
        .into_iter()
        .filter_map(|word| {
            let (name, value) = word.split_once('=')?;
            Some(EnvVar { line, name: name.to_owned(), value: value.to_owned() })
        })
        .collect()
}

/// Splits on white space outside quotes, removing the quotes.
fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (_, '\\') => current.extend(chars.next()),
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            (_, c) => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_env_in_both_forms_with_lines() {
        let file = Dockerfile::parse(
            "FROM python:3.12-slim\n# comment\nENV PYTHONUNBUFFERED=1 \\\n    POSTGRES_USER=\"my user\"\nENV SITE_NAME My Site\nEXPOSE 8000/tcp\n",
        );
        let env: Vec<(u32, String, String)> = file.env().into_iter().map(|e| (e.line, e.name, e.value)).collect();
        let expected = [(3, "PYTHONUNBUFFERED", "1"), (3, "POSTGRES_USER", "my user"), (5, "SITE_NAME", "My Site")]
            .map(|(l, n, v)| (l, n.to_owned(), v.to_owned()));
        assert_eq!(env, expected);
        assert_eq!(file.exposed_ports(), [(6, 8000)]);
        assert_eq!(file.base_image(), Some("python:3.12-slim"));
    }

    #[test]
    fn reads_the_final_stage_only() {
        let file = Dockerfile::parse("FROM node AS build\nENV A=1\nFROM python:3.11\nENV B=2\n");
        let names: Vec<String> = file.env().into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["B"]);
    }

    #[test]
    fn survives_odd_input() {
        for text in
            ["", "\\", "ENV", "ENV =", "ENV A=\"unterminated", "\u{feff}FROM x\r\nENV A=1\r\n", "FROM\n\n\nEXPOSE abc"]
        {
            let _ = Dockerfile::parse(text).env();
        }
    }
}
