#![no_main]
//! The small readers: Kubernetes quantities, Dockerfiles, requirements,
//! GitHub links and tag names.
use libfuzzer_sys::fuzz_target;
use m13_rules::parse::{dockerfile::Dockerfile, quantity::Quantity, requirements};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Quantity::parse(text).map(|q| (q.format_cpu(), q.format_memory()));
        let file = Dockerfile::parse(text);
        let _ = (file.env(), file.exposed_ports(), file.base_image());
        let _ = requirements::parse(text);
        if let Ok(link) = m13_rules::url::GitHubLink::parse(text) {
            let _ = link.explain();
        }
        let _ = m13_rules::url::read_tag(text);
    }
});
