//! Which ports the Django container listens on, and whether a Service
//! `targetPort` or probe port reaches one of them: read by the port rules
//! and by the graph.

use std::collections::HashSet;
use std::ops::Deref;

use crate::finding::Evidence;
use crate::model::k8s::TargetPort;
use crate::model::{Container, Object, Release};
use crate::shown;

/// A port Django listens on, with where that is said.
pub(crate) struct ListenPort {
    pub number: Option<u16>,
    pub name: Option<String>,
    pub evidence: Evidence,
}

/// The ports Django listens on, in order, and their numbers and names as
/// sets: a Service of many ports is matched in time linear in its ports.
pub(crate) struct Listening {
    ports: Vec<ListenPort>,
    numbers: HashSet<u16>,
    names: HashSet<String>,
}

impl Listening {
    fn new(ports: Vec<ListenPort>) -> Listening {
        let numbers = ports.iter().filter_map(|p| p.number).collect();
        let names = ports.iter().filter_map(|p| p.name.clone()).collect();
        Listening { ports, numbers, names }
    }
}

impl Deref for Listening {
    type Target = [ListenPort];
    fn deref(&self) -> &Self::Target {
        &self.ports
    }
}

impl IntoIterator for Listening {
    type Item = ListenPort;
    type IntoIter = std::vec::IntoIter<ListenPort>;
    fn into_iter(self) -> Self::IntoIter {
        self.ports.into_iter()
    }
}

/// The Django container's ports: its `containerPort`s, else the port in its
/// command or the Dockerfile (`runserver 0.0.0.0:8000`, `EXPOSE 8000`).
pub(crate) fn listen_ports(release: &Release<'_>, object: &Object, container: &Container<'_>) -> Listening {
    Listening::new(listen_port_list(release, object, container))
}

fn listen_port_list(release: &Release<'_>, object: &Object, container: &Container<'_>) -> Vec<ListenPort> {
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
    if let Some((listen, at)) = started_server(release) {
        return vec![ListenPort {
            number: Some(listen.port),
            name: None,
            evidence: at.found(format!("the server listens on {}", listen.port)),
        }];
    }
    let Some(dockerfile) = release.dockerfiles.first() else { return Vec::new() };
    dockerfile
        .file
        .exposed_ports()
        .into_iter()
        .map(|(line, port)| ListenPort {
            number: Some(port),
            name: None,
            evidence: Evidence::at(&dockerfile.path, Some(line)).found(format!("the image listens on {port}")),
        })
        .collect()
}

/// The server the Django container starts, and where that is written: the
/// first of [`Release::start_lines`] that starts one (its own command, the
/// image's `CMD`, or the start script either runs).
pub(crate) fn started_server(release: &Release<'_>) -> Option<(Listen, Evidence)> {
    release.start_lines.iter().find_map(|line| listen_in_command(&line.text).map(|listen| (listen, line.at.clone())))
}

/// Where a Django server started by a command listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listen {
    pub server: Server,
    pub host: String,
    pub port: u16,
}

/// Which server a command starts: each spells its address its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Server {
    Runserver,
    Gunicorn,
    Uvicorn,
}

impl Server {
    /// How this server is told to listen on all addresses at `port`.
    pub fn listening_on(self, port: u16) -> String {
        match self {
            Server::Runserver => format!("runserver 0.0.0.0:{port}"),
            Server::Gunicorn => format!("gunicorn --bind 0.0.0.0:{port}"),
            Server::Uvicorn => format!("uvicorn --host 0.0.0.0 --port {port}"),
        }
    }
}

impl Listen {
    /// Only inside the container: the Service, the probes and the load
    /// balancer connect to the pod's address and find nothing.
    pub fn is_loopback(&self) -> bool {
        matches!(self.host.as_str(), "127.0.0.1" | "localhost" | "::1" | "[::1]")
    }
}

/// The address in `runserver 0.0.0.0:8000`, `gunicorn --bind 0.0.0.0:8080`
/// (`-b :8080`, `--bind=...`) or `uvicorn --host 0.0.0.0 --port 8000`. Each
/// server's default is `127.0.0.1:8000`, as when `runserver` has no address.
/// `None` when the command starts none of them (a script, `migrate`).
pub(crate) fn listen_in_command(command: &str) -> Option<Listen> {
    let words: Vec<&str> = crate::model::command_words(command).collect();
    let server = words.iter().position(|w| *w == "runserver" || w.ends_with("gunicorn") || w.ends_with("uvicorn"))?;
    let rest = words.get(server + 1..).unwrap_or_default();
    let kind = match words.get(server).copied() {
        Some("runserver") => Server::Runserver,
        Some(w) if w.ends_with("uvicorn") => Server::Uvicorn,
        _ => Server::Gunicorn,
    };
    let address = match words.get(server).copied() {
        // Its address is the word with a port in it; `--settings x` is not one.
        Some("runserver") => rest
            .iter()
            .find(|w| !w.starts_with('-') && (w.contains(':') || w.chars().all(|c| c.is_ascii_digit())))
            .map(|w| (*w).to_owned()),
        Some(w) if w.ends_with("uvicorn") => {
            let after = |flag: &str| rest.iter().position(|w| *w == flag).and_then(|i| rest.get(i + 1));
            let host = after("--host").map_or("127.0.0.1", |h| h);
            let port = after("--port").map_or("8000", |p| p);
            Some(format!("{host}:{port}"))
        }
        _ => rest.iter().enumerate().find_map(|(i, w)| {
            if let Some(bound) = w.strip_prefix("--bind=") {
                return Some(bound.to_owned());
            }
            (*w == "--bind" || *w == "-b").then(|| rest.get(i + 1).map(|a| (*a).to_owned())).flatten()
        }),
    };
    let Some(address) = address else { return Some(Listen { server: kind, host: "127.0.0.1".to_owned(), port: 8000 }) };
    let (host, port) = match address.rsplit_once(':') {
        Some((host, port)) => (host, port),
        None if address.chars().all(|c| c.is_ascii_digit()) => ("127.0.0.1", address.as_str()),
        None => (address.as_str(), "8000"),
    };
    let host = if host.is_empty() { "0.0.0.0" } else { host };
    Some(Listen { server: kind, host: host.to_owned(), port: port.parse().ok()? })
}

/// Whether `target` reaches one of the ports.
pub(crate) fn reaches(target: &TargetPort, ports: &Listening) -> bool {
    match target {
        TargetPort::Number(n) => ports.numbers.contains(n),
        TargetPort::Name(name) => ports.names.contains(name),
    }
}

/// "8000 (name http)" list for messages: the first few ports, then how
/// many more.
pub(crate) fn describe(ports: &[ListenPort]) -> String {
    let mut text = ports
        .iter()
        .take(shown::MAX_LISTED)
        .map(|p| match (&p.number, &p.name) {
            (Some(n), Some(name)) => format!("{n} ({})", shown::clip(name)),
            (Some(n), None) => n.to_string(),
            (None, Some(name)) => shown::clip_owned(name.clone()),
            (None, None) => "?".to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    if ports.len() > shown::MAX_LISTED {
        text.push_str(&format!(" and {} more", shown::thousands(ports.len() - shown::MAX_LISTED)));
    }
    text
}

#[cfg(test)]
mod tests {
    fn port_of(command: &str) -> Option<u16> {
        super::listen_in_command(command).map(|listen| listen.port)
    }

    #[test]
    fn knows_which_server_for_the_fix() {
        use super::{Server, listen_in_command};
        let server = |c: &str| listen_in_command(c).map(|l| l.server);
        assert_eq!(server("exec gunicorn mysite.wsgi:application --workers 2"), Some(Server::Gunicorn));
        assert_eq!(server("python manage.py runserver"), Some(Server::Runserver));
        assert_eq!(server("uvicorn mysite.asgi:application --port 8080"), Some(Server::Uvicorn));
        assert_eq!(Server::Gunicorn.listening_on(8080), "gunicorn --bind 0.0.0.0:8080");
    }

    #[test]
    fn finds_ports_in_commands() {
        assert_eq!(port_of("python manage.py runserver 0.0.0.0:8000"), Some(8000));
        assert_eq!(port_of("[\"gunicorn\", \"--bind\", \"0.0.0.0:8080\", \"mysite.wsgi\"]"), Some(8080));
        assert_eq!(port_of("python manage.py migrate"), None);
    }

    #[test]
    fn addresses_and_defaults_of_each_server() {
        let at = |c: &str| super::listen_in_command(c).map(|l| (l.host, l.port));
        let all = |port: u16| Some(("0.0.0.0".to_owned(), port));
        let local = Some(("127.0.0.1".to_owned(), 8000));
        assert_eq!(at("python manage.py runserver 0.0.0.0:8000"), all(8000));
        assert_eq!(at("python manage.py runserver"), local);
        assert_eq!(at("python manage.py runserver 8080"), Some(("127.0.0.1".to_owned(), 8080)));
        assert_eq!(at("python manage.py runserver --noreload 0.0.0.0:9000"), all(9000));
        assert_eq!(at("python manage.py runserver --settings mysite.prod 0.0.0.0:8000"), all(8000));
        assert_eq!(at("gunicorn --workers 3 --bind 0.0.0.0:8080 mysite.wsgi"), all(8080));
        assert_eq!(at("gunicorn -b :8080 mysite.wsgi"), all(8080));
        assert_eq!(at("gunicorn --bind=0.0.0.0:8001 mysite.wsgi"), all(8001));
        assert_eq!(at("gunicorn mysite.wsgi"), local);
        assert_eq!(at("uvicorn mysite.asgi:application --host 0.0.0.0 --port 8080"), all(8080));
        assert_eq!(at("/start.sh"), None);
        assert!(super::listen_in_command("python manage.py runserver").is_some_and(|l| l.is_loopback()));
    }
}
