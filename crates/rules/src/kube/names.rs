//! The API server's string checks (`k8s.io/apimachinery/pkg/util/validation`),
//! each returning the messages it prints, in its order. Written out by hand
//! rather than with a regex crate: each is a few character tests, and the
//! web checker stays small.

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const LABEL_KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const CONFIG_MAP_KEY_FMT: &str = "[-._a-zA-Z0-9]+";

/// `RegexError`: the message, examples, and the pattern.
fn regex_error(message: &str, pattern: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{message} (regex used for validation is '{pattern}')");
    }
    let mut out = format!("{message} (e.g. ");
    for (i, example) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push_str(&format!("'{example}', "));
    }
    out.push_str(&format!("regex used for validation is '{pattern}')"));
    out
}

fn max_len_error(length: usize) -> String {
    format!("must be no more than {length} characters")
}

fn is_lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
fn matches_dns1123_label(value: &str) -> bool {
    value.chars().next().is_some_and(is_lower_alnum)
        && value.chars().last().is_some_and(is_lower_alnum)
        && value.chars().all(|c| is_lower_alnum(c) || c == '-')
}

fn matches_dns1123_subdomain(value: &str) -> bool {
    value.split('.').all(matches_dns1123_label)
}

/// `IsDNS1123Label`: a Namespace's name, a container's, a Service port's.
pub fn dns1123_label(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.chars().count() > 63 {
        errors.push(max_len_error(63));
    }
    if !matches_dns1123_label(value) {
        if matches_dns1123_subdomain(value) {
            errors.push("must not contain dots".to_owned());
        } else {
            errors.push(regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errors
}

/// `IsDNS1123Subdomain`: most objects' names (Deployment, ConfigMap, Secret...).
pub fn dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.chars().count() > 253 {
        errors.push(max_len_error(253));
    }
    if !matches_dns1123_subdomain(value) {
        errors.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errors
}

/// `IsDNS1035Label`: a Service's name (it becomes a DNS name and an
/// environment variable prefix, so it must start with a letter).
pub fn dns1035_label(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.chars().count() > 63 {
        errors.push(max_len_error(63));
    }
    let ok = value.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && value.chars().last().is_some_and(is_lower_alnum)
        && value.chars().all(|c| is_lower_alnum(c) || c == '-');
    if !ok {
        errors.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            DNS1035_LABEL_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errors
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
fn matches_label_name(value: &str) -> bool {
    value.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && value.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
        && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

const LABEL_KEY_MESSAGE: &str =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_KEY_EXAMPLES: [&str; 3] = ["MyName", "my.name", "123-abc"];

/// `IsQualifiedName`: a label key or an annotation key, `prefix/name`.
pub fn qualified_name(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errors.push("prefix part must be non-empty".to_owned());
            } else {
                errors.extend(dns1123_subdomain(prefix).into_iter().map(|m| format!("prefix part {m}")));
            }
            *name
        }
        _ => {
            errors.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(LABEL_KEY_MESSAGE, LABEL_KEY_FMT, &LABEL_KEY_EXAMPLES)
            ));
            return errors;
        }
    };
    if name.is_empty() {
        errors.push("name part must be non-empty".to_owned());
    } else if name.chars().count() > 63 {
        errors.push(format!("name part {}", max_len_error(63)));
    }
    if !matches_label_name(name) {
        errors.push(format!("name part {}", regex_error(LABEL_KEY_MESSAGE, LABEL_KEY_FMT, &LABEL_KEY_EXAMPLES)));
    }
    errors
}

/// `IsValidLabelValue`: empty, or up to 63 characters of the label alphabet.
pub fn label_value(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.chars().count() > 63 {
        errors.push(max_len_error(63));
    }
    if !value.is_empty() && !matches_label_name(value) {
        errors.push(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errors
}

/// `IsValidPortName` (an IANA service name): a container port's name, a
/// string `targetPort`, a probe's named port.
pub fn port_name(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.chars().count() > 15 {
        errors.push(max_len_error(15));
    }
    if value.is_empty() || !value.chars().all(|c| is_lower_alnum(c) || c == '-') {
        errors.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_owned());
    }
    if !value.chars().any(|c| c.is_ascii_lowercase()) {
        errors.push("must contain at least one letter (a-z)".to_owned());
    }
    if value.contains("--") {
        errors.push("must not contain consecutive hyphens".to_owned());
    }
    if value.starts_with('-') || value.ends_with('-') {
        errors.push("must not begin or end with a hyphen".to_owned());
    }
    errors
}

/// `IsValidPortNum`: 1 to 65535.
pub fn port_number(port: i64) -> Vec<String> {
    if (1..=65535).contains(&port) { Vec::new() } else { vec!["must be between 1 and 65535, inclusive".to_owned()] }
}

/// `IsConfigMapKey`: a key of a ConfigMap's or Secret's data.
pub fn config_map_key(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.chars().count() > 253 {
        errors.push(max_len_error(253));
    }
    if value.is_empty() || !value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')) {
        errors.push(regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            CONFIG_MAP_KEY_FMT,
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    match value {
        "." => errors.push("must not be '.'".to_owned()),
        ".." => errors.push("must not be '..'".to_owned()),
        _ if value.starts_with("..") => errors.push("must not start with '..'".to_owned()),
        _ => {}
    }
    errors
}

/// `IsRelaxedEnvVarName` (the rule since Kubernetes 1.32): printable ASCII
/// other than `=`.
pub fn env_var_name(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.is_empty() {
        errors.push("environment variable name must be non-empty".to_owned());
    }
    if value.chars().any(|c| !(' '..='~').contains(&c) || c == '=') {
        errors.push(
            "a valid environment variable name must consist only of printable ASCII characters other than '='"
                .to_owned(),
        );
    }
    errors
}

/// Levenshtein distance, for "did you mean": names are short.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous.get(j).copied().unwrap_or(usize::MAX).saturating_add(usize::from(ca != *cb));
            let insertion = current.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            let deletion = previous.get(j + 1).copied().unwrap_or(usize::MAX).saturating_add(1);
            current.push(substitution.min(insertion).min(deletion));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

/// The candidate closest to `wrong`, if close enough to be a typo (or the
/// same word in another case).
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = wrong.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = if candidate.to_ascii_lowercase() == lower {
            0
        } else {
            edit_distance(&lower, &candidate.to_ascii_lowercase())
        };
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    let limit = (wrong.chars().count() / 4).clamp(1, 3);
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomain_names_are_lowercase() {
        assert!(dns1123_subdomain("mysite-config").is_empty());
        assert!(dns1123_subdomain("postgres.v1").is_empty());
        assert_eq!(
            dns1123_subdomain("Mysite-Config"),
            [
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            ]
        );
        assert_eq!(dns1123_subdomain("a..b").len(), 1);
        assert_eq!(dns1123_subdomain("-a").len(), 1);
        assert_eq!(
            dns1123_subdomain(&"a".repeat(254)).first().map(String::as_str),
            Some("must be no more than 253 characters")
        );
    }

    /// Go's `RegexError` writes "', " then " or ": two spaces, as kubectl prints.
    #[test]
    fn labels_service_names_and_namespaces() {
        assert_eq!(dns1123_label("a.b"), ["must not contain dots"]);
        assert!(dns1123_label("web-1").is_empty());
        assert!(dns1035_label("mysite-svc").is_empty());
        assert_eq!(dns1035_label("1svc").len(), 1);
        assert!(qualified_name("app").is_empty());
        assert!(qualified_name("app.kubernetes.io/name").is_empty());
        assert_eq!(qualified_name("/name"), ["prefix part must be non-empty"]);
        assert_eq!(qualified_name("a/b/c").len(), 1);
        assert_eq!(qualified_name("my app").len(), 1);
        assert!(label_value("").is_empty());
        assert!(label_value("My_Value.1").is_empty());
        assert_eq!(
            label_value("my site"),
            [
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
            ]
        );
    }

    #[test]
    fn port_names_follow_iana() {
        assert!(port_name("http").is_empty());
        assert!(port_name("django-8000").is_empty());
        assert_eq!(
            port_name("Django-Port"),
            ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"]
        );
        assert_eq!(port_name("8000"), ["must contain at least one letter (a-z)"]);
        assert_eq!(port_name("a--b"), ["must not contain consecutive hyphens"]);
        assert_eq!(port_name("-web"), ["must not begin or end with a hyphen"]);
        assert_eq!(port_name("a-very-long-port-name"), ["must be no more than 15 characters"]);
        assert_eq!(port_number(80000), ["must be between 1 and 65535, inclusive"]);
        assert!(port_number(65535).is_empty());
        assert_eq!(port_number(0).len(), 1);
    }

    #[test]
    fn config_keys_and_env_names() {
        assert!(config_map_key("POSTGRES_HOSTNAME").is_empty());
        assert!(config_map_key("settings.py").is_empty());
        assert_eq!(config_map_key("my key").len(), 1);
        assert_eq!(config_map_key(".."), ["must not be '..'"]);
        assert!(env_var_name("DJANGO_SETTINGS_MODULE").is_empty());
        assert_eq!(env_var_name("A=B").len(), 1);
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(did_you_mean("livenesProbe", ["livenessProbe", "readinessProbe"]), Some("livenessProbe"));
        assert_eq!(did_you_mean("prt", ["port", "name", "protocol"]), Some("port"));
        assert_eq!(did_you_mean("Loadbalancer", ["ClusterIP", "LoadBalancer"]), Some("LoadBalancer"));
        assert_eq!(did_you_mean("zzzzzz", ["port"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
