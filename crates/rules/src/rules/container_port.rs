use std::collections::HashSet;

use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::model::ports::started_server;
use crate::registry::{Kind, declare_rule};
use crate::shown;

declare_rule! {
    /// ## What it checks
    /// Django listens where the Deployment says: on all addresses
    /// (`0.0.0.0`), at a port its `containerPort` declares. The address comes
    /// from the container's `command`/`args`, else the Dockerfile's `CMD` or
    /// `ENTRYPOINT` (`runserver 0.0.0.0:8000`, `gunicorn --bind
    /// 0.0.0.0:8080`), else the start script one of them runs (`start.sh`
    /// with `exec gunicorn --bind 0.0.0.0:8000`, matched by file name). When
    /// none of them shows an address, the Dockerfile's `EXPOSE` is the hint.
    ///
    /// ## Why it matters
    /// `containerPort` only describes the container: the Service's
    /// `targetPort` and the probes aim at it, so if the app listens
    /// elsewhere they reach nothing, the liveness probe restarts the pod
    /// forever and step 9's port forward fails. A server on `127.0.0.1`
    /// (`runserver` with no address) is reachable only from inside the pod.
    ///
    /// ## Passes
    /// `CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]` with
    /// `containerPort: 8000`; no `containerPort` at all (the port rules
    /// then use the command's port).
    ///
    /// ## Fails
    /// The command listens on another port than every `containerPort`, or
    /// on `127.0.0.1` (`runserver` or `gunicorn` without an address), in the
    /// command or in the start script it runs. When no address can be read
    /// (a script that is not in the release), an `EXPOSE` that differs
    /// warns, and no `EXPOSE` is manual.
    ///
    /// ## How to fix
    /// Make the server listen on `0.0.0.0` at the port the Deployment
    /// declares (or change `containerPort`, the Service's `targetPort` and
    /// the probes to the port it listens on), and rebuild the image.
    pub static RULE = Rule {
        title: "Django listens where the Deployment says",
        source: "Requirements 1.2; steps 7 and 9",
        kind: Kind::Deeper,
        remediation: "Start the server on 0.0.0.0 at the containerPort (runserver 0.0.0.0:8000), or declare the port it listens on.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let (Some(object), Some(container)) = (release.django_object(), release.django_container()) else {
        return Verdict::manual("No Django Deployment, so no port to compare.");
    };
    let declared: Vec<(u16, u32)> = container.ports().iter().filter_map(|p| Some((p.number?, p.line))).collect();
    let declared_text: Vec<String> = declared.iter().map(|(n, _)| n.to_string()).collect();
    let declared_evidence = || {
        declared.iter().map(|(n, line)| Evidence::at(&object.path, Some(*line)).found(format!("containerPort: {n}")))
    };
    let (listen, at) = match started_server(release) {
        Some(found) => found,
        None => return exposed_only(release, &declared, &declared_text, declared_evidence().collect()),
    };
    let at = at.found(format!("listens on {}:{}", listen.host, listen.port));
    if listen.is_loopback() {
        return Verdict::fail(format!(
            "The server listens on {}:{}, inside the pod only: the Service, the probes and the port forward connect to the pod's address and find nothing.",
            listen.host, listen.port
        ))
        .with(at.expected(format!("0.0.0.0:{}", listen.port)))
        .fix(format!(
            "Give the server the address 0.0.0.0:{} (`{}`) and rebuild the image.",
            listen.port,
            listen.server.listening_on(listen.port)
        ));
    }
    if declared.is_empty() || declared.iter().any(|(n, _)| *n == listen.port) {
        let declared_too = if declared.is_empty() {
            "no containerPort is declared".to_owned()
        } else {
            format!("containerPort {}", listen.port)
        };
        return Verdict::pass(format!("Django listens on {}:{} and {declared_too}.", listen.host, listen.port))
            .with(at)
            .with_all(declared_evidence());
    }
    Verdict::fail(format!(
        "Django listens on port {}, but the container declares containerPort {}: the Service's targetPort and the probes aim where nothing listens.",
        listen.port,
        shown::some_of(&declared_text, ", ")
    ))
    .with(at.expected(format!("containerPort: {}", listen.port)))
    .with_all(declared_evidence())
    .fix(format!(
        "Either start the server on port {} or declare containerPort {} (with the Service's targetPort and the probes), then rebuild.",
        declared_text.first().map_or("8000", String::as_str),
        listen.port
    ))
}

/// No server command to read (a script that is not in the release, a
/// command with no address): `EXPOSE` says what the image means to listen on.
fn exposed_only(
    release: &Release<'_>,
    declared: &[(u16, u32)],
    declared_text: &[String],
    evidence: Vec<Evidence>,
) -> Verdict {
    let exposed: Vec<(u32, u16)> = release.dockerfiles.first().map(|d| d.file.exposed_ports()).unwrap_or_default();
    let path = release.dockerfiles.first().map_or("Dockerfile", |d| d.path.as_str());
    let declared_ports: HashSet<u16> = declared.iter().map(|(n, _)| *n).collect();
    let exposed_evidence =
        exposed.iter().map(|(line, port)| Evidence::at(path, Some(*line)).found(format!("EXPOSE {port}")));
    match exposed.first() {
        None => Verdict::manual(
            "The image starts a script or a command whose address cannot be read, and exposes no port: check that the app listens on 0.0.0.0 at the containerPort.",
        )
        .with_all(evidence),
        Some(_) if declared.is_empty() || exposed.iter().any(|(_, port)| declared_ports.contains(port)) => {
            Verdict::pass("The image's EXPOSE matches the containerPort (the server's address could not be read from the start command).")
                .with_all(exposed_evidence)
                .with_all(evidence)
        }
        Some((_, port)) => Verdict::warn(format!(
            "The Dockerfile exposes {port} but the container declares containerPort {}: check which port the app listens on.",
            shown::some_of(declared_text, ", ")
        ))
        .with_all(exposed_evidence)
        .with_all(evidence),
    }
}
