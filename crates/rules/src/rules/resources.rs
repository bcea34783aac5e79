//! Shared by the resource rules: reading a request or limit of the Django
//! container and judging it against a range.

use crate::finding::{Evidence, Verdict};
use crate::model::{Container, Object, Release};
use crate::parse::quantity::Quantity;
use crate::parse::yaml::Node;

/// A resource the milestone constrains.
pub(crate) struct Resource {
    /// `cpu` or `memory`.
    pub name: &'static str,
    pub min: &'static str,
    pub max: &'static str,
    pub format: fn(Quantity) -> String,
}

/// A request or limit as written, with where.
pub(crate) struct Amount<'a> {
    pub node: &'a Node,
    pub parsed: Result<Quantity, String>,
}

pub(crate) fn amount<'a>(container: &Container<'a>, section: &str, resource: &str) -> Option<Amount<'a>> {
    let node = container.node.path(&["resources", section, resource])?;
    let parsed = match node.as_str() {
        Some(text) => Quantity::parse(text).map_err(|e| e.0),
        None => Err(format!("{} is not a quantity", node.describe())),
    };
    Some(Amount { node, parsed })
}

fn bound(text: &str) -> Quantity {
    Quantity::parse(text).unwrap_or(Quantity(0.0))
}

/// Judges the Django container's request for `resource` against its range.
pub(crate) fn judge_request(release: &Release<'_>, resource: &Resource) -> Verdict {
    let (Some(container), Some(object)) = (release.django_container(), release.django_object()) else {
        return super::without_django(release, &format!("the {} request", resource.name));
    };
    let range = format!("between {} and {}", resource.min, resource.max);
    let request = amount(&container, "requests", resource.name);
    let limit = amount(&container, "limits", resource.name);
    let at = |node: &Node| Evidence::at(&object.path, Some(node.line));
    match (request, limit) {
        (Some(request), _) => judge(object, &request, resource, &range, "request", at(request.node)),
        (None, Some(limit)) => {
            let verdict = judge(object, &limit, resource, &range, "limit", at(limit.node));
            if verdict.status == crate::Status::Pass {
                Verdict::warn(format!(
                    "No {name} request, only a limit of {value}: Kubernetes copies the limit into the request, so it is {range}, but say it explicitly.",
                    name = resource.name,
                    value = limit.node.as_str().unwrap_or("?"),
                ))
                .with_all(verdict.evidence)
                .fix(format!("Add `resources.requests.{}` to the Django container, {range}.", resource.name))
            } else {
                verdict
            }
        }
        (None, None) => Verdict::fail(format!("The Django container sets no {} request.", resource.name))
            .with(
                Evidence::at(&object.path, Some(container.line()))
                    .found(format!(
                        "container {} without resources.requests.{}",
                        container.name().unwrap_or("?"),
                        resource.name
                    ))
                    .expected(range.clone()),
            )
            .fix(format!("Add `resources.requests.{}` to the Django container, {range}.", resource.name)),
    }
}

fn judge(
    object: &Object,
    amount: &Amount<'_>,
    resource: &Resource,
    range: &str,
    what: &str,
    evidence: Evidence,
) -> Verdict {
    let written = amount.node.as_str().unwrap_or("?").to_owned();
    let evidence = evidence
        .found(format!("{}.{}: {written}", if what == "limit" { "limits" } else { "requests" }, resource.name))
        .expected(range.to_owned());
    let quantity = match &amount.parsed {
        Ok(q) => *q,
        Err(error) => {
            return Verdict::fail(format!(
                "The {} {what} `{written}` of {} is not a valid quantity: {error}.",
                resource.name,
                object.display()
            ))
            .with(evidence)
            .fix(format!("Write the {} {what} as a Kubernetes quantity {range}.", resource.name));
        }
    };
    let (min, max) = (bound(resource.min), bound(resource.max));
    let shown = (resource.format)(quantity);
    let same = if shown == written { String::new() } else { format!(" ({shown})") };
    if quantity < min || quantity > max {
        let side = if quantity < min { "below" } else { "above" };
        let hint = match binary_reading(&written).filter(|(_, q)| *q >= min && *q <= max) {
            Some((meant, _)) => format!(
                " `{written}` is in decimal units (M = 1,000,000 bytes) and the range in binary ones (Mi = 1,048,576 bytes): `{meant}` would be in range."
            ),
            None => String::new(),
        };
        Verdict::fail(format!(
            "The {} {what} {written}{same} is {side} the allowed range, {range}.{hint}",
            resource.name
        ))
        .with(evidence)
        .fix(format!("Set `resources.requests.{}` of the Django container {range}.", resource.name))
    } else {
        Verdict::pass(format!("The {} {what} {written}{same} is {range}.", resource.name)).with(evidence)
    }
}

/// `128M` read as the `128Mi` that was surely meant (decimal `k`, `M`, `G`
/// for binary `Ki`, `Mi`, `Gi`), to say so when only that keeps it out of
/// range.
fn binary_reading(written: &str) -> Option<(String, Quantity)> {
    let written = written.trim();
    let (number, suffix) = [("k", "Ki"), ("M", "Mi"), ("G", "Gi")]
        .into_iter()
        .find_map(|(d, b)| written.strip_suffix(d).map(|n| (n, b)))?;
    let meant = format!("{number}{suffix}");
    Quantity::parse(&meant).ok().map(|quantity| (meant, quantity))
}

#[cfg(test)]
mod tests {
    use super::binary_reading;

    #[test]
    fn decimal_units_are_read_as_the_binary_ones_meant() {
        assert_eq!(binary_reading("128M").map(|(meant, _)| meant).as_deref(), Some("128Mi"));
        assert_eq!(binary_reading("1G").map(|(meant, _)| meant).as_deref(), Some("1Gi"));
        assert_eq!(binary_reading("128Mi"), None);
        assert_eq!(binary_reading("250m"), None);
        assert_eq!(binary_reading("µ"), None);
    }
}
