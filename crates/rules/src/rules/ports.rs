//! Shared by the port rules: which ports the Django container listens on,
//! and whether a Service `targetPort` or probe port reaches one of them.

use crate::finding::Evidence;
use crate::model::k8s::TargetPort;
use crate::model::{Container, Object, Release};

/// A port Django listens on, with where that is said.
pub(crate) struct ListenPort {
    pub number: Option<u16>,
    pub name: Option<String>,
    pub evidence: Evidence,
}

/// The Django container's ports: its `containerPort`s, else the port in its
/// command or the Dockerfile (`runserver 0.0.0.0:8000`, `EXPOSE 8000`).
pub(crate) fn listen_ports(release: &Release<'_>, object: &Object, container: &Container<'_>) -> Vec<ListenPort> {
    let declared: Vec<ListenPort> = container
        .ports()
        .into_iter()
        .map(|p| ListenPort {
            evidence: Evidence::at(&object.path, Some(p.line)).found(format!(
                "containerPort: {}{}",
                p.number.map_or("?".to_owned(), |n| n.to_string()),
                p.name.as_deref().map(|n| format!(" (name {n})")).unwrap_or_default()
            )),
            number: p.number,
            name: p.name,
        })
        .collect();
    if !declared.is_empty() {
        return declared;
    }
    if let Some(port) = port_in_command(&container.command_line()) {
        return vec![ListenPort {
            number: Some(port),
            name: None,
            evidence: Evidence::at(&object.path, Some(container.line())).found(format!("command listens on {port}")),
        }];
    }
    let Some(dockerfile) = release.dockerfiles.first() else { return Vec::new() };
    let from_cmd = dockerfile
        .file
        .final_stage()
        .iter()
        .filter(|i| i.keyword == "CMD" || i.keyword == "ENTRYPOINT")
        .find_map(|i| port_in_command(&i.args).map(|p| (i.line, p)));
    let exposed = dockerfile.file.exposed_ports();
    from_cmd
        .into_iter()
        .chain(exposed)
        .map(|(line, port)| ListenPort {
            number: Some(port),
            name: None,
            evidence: Evidence::at(&dockerfile.path, Some(line)).found(format!("the image listens on {port}")),
        })
        .collect()
}

/// `runserver 0.0.0.0:8000`, `--bind 0.0.0.0:8000`, `-b :8080`.
fn port_in_command(command: &str) -> Option<u16> {
    let words: Vec<&str> = command
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '[' | ']'))
        .filter(|w| !w.is_empty())
        .collect();
    let after_server =
        words.iter().position(|w| *w == "runserver" || w.ends_with("gunicorn") || w.contains("uvicorn"))?;
    words.iter().skip(after_server + 1).find_map(|w| {
        let candidate = w.strip_prefix("--bind=").unwrap_or(w);
        let port = candidate.rsplit(':').next()?;
        if candidate.contains(':') || candidate.chars().all(|c| c.is_ascii_digit()) { port.parse().ok() } else { None }
    })
}

/// Whether `target` reaches one of `ports`.
pub(crate) fn reaches(target: &TargetPort, ports: &[ListenPort]) -> bool {
    ports.iter().any(|p| match target {
        TargetPort::Number(n) => p.number == Some(*n),
        TargetPort::Name(name) => p.name.as_deref() == Some(name.as_str()),
    })
}

/// "8000 (name http)" list for messages.
pub(crate) fn describe(ports: &[ListenPort]) -> String {
    ports
        .iter()
        .map(|p| match (&p.number, &p.name) {
            (Some(n), Some(name)) => format!("{n} ({name})"),
            (Some(n), None) => n.to_string(),
            (None, Some(name)) => name.clone(),
            (None, None) => "?".to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_ports_in_commands() {
        assert_eq!(super::port_in_command("python manage.py runserver 0.0.0.0:8000"), Some(8000));
        assert_eq!(super::port_in_command("[\"gunicorn\", \"--bind\", \"0.0.0.0:8080\", \"mysite.wsgi\"]"), Some(8080));
        assert_eq!(super::port_in_command("python manage.py migrate"), None);
    }
}
