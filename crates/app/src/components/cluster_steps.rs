//! The course page's test procedure with this release's names, as a
//! compact list: a line per step with its checkbox, and the step's commands
//! (with copy buttons), what to look for and notes behind a `<details>`,
//! open for the first step not yet ticked (the next one to do).

use std::collections::BTreeSet;

use m13_rules::procedure::Step;
use yew::{Callback, Html, Properties, component, html};

use super::CopyRequest;
use super::copy_button::CopyButton;
use super::inline::inline;

#[derive(Properties, PartialEq)]
pub struct ClusterStepsProps {
    pub steps: Vec<Step>,
    pub done: BTreeSet<String>,
    pub on_toggle: Callback<String>,
    pub on_copy: Callback<CopyRequest>,
}

/// The index of the step shown open: the first one not ticked, if any.
pub fn next_step(steps: &[Step], done: &BTreeSet<String>) -> Option<usize> {
    steps.iter().position(|s| !done.contains(&s.id))
}

/// "2 commands, what to look for, 1 note": what a closed step holds.
pub fn contents(step: &Step) -> String {
    let mut parts = Vec::new();
    match step.commands.len() {
        0 => {}
        1 => parts.push("1 command".to_owned()),
        n => parts.push(format!("{n} commands")),
    }
    parts.push("what to look for".to_owned());
    match step.notes.len() {
        0 => {}
        1 => parts.push("1 note".to_owned()),
        n => parts.push(format!("{n} notes")),
    }
    parts.join(", ")
}

#[component]
pub fn ClusterSteps(props: &ClusterStepsProps) -> Html {
    let finished = props.steps.iter().filter(|s| props.done.contains(&s.id)).count();
    let next = next_step(&props.steps, &props.done);
    html! {
        <section id="steps" class="steps" aria-labelledby="steps-heading">
            <h2 id="steps-heading" tabindex="-1">{ "Cluster steps" }</h2>
            <p class="hint">
                { format!("The test procedure with this release's names, for the reviewer's minikube. {finished} of {} done; ticks are remembered in this browser.", props.steps.len()) }
            </p>
            <ol>
                { for props.steps.iter().enumerate().map(|(index, step)| {
                    let checkbox = format!("step-{}", step.id);
                    let id = step.id.clone();
                    let onchange = props.on_toggle.reform(move |_| id.clone());
                    html! {
                        <li class="step" data-step-id={step.id.clone()} key={step.id.clone()}>
                            <div class="step-head">
                                <input type="checkbox" id={checkbox.clone()} checked={props.done.contains(&step.id)} {onchange} />
                                <label for={checkbox}>{ format!("Step {}: {}", step.page_step, step.title) }</label>
                            </div>
                            <details class="step-details" open={next == Some(index)}>
                                <summary>{ contents(step) }</summary>
                                { for step.commands.iter().map(|command| html! {
                                    <div class="command">
                                        <pre><code>{ command.clone() }</code></pre>
                                        <CopyButton text={command.clone()} label="Copy" what={format!("the command of step {}", step.page_step)} on_copy={props.on_copy.clone()} />
                                    </div>
                                }) }
                                <p class="look-for"><strong>{ "Look for: " }</strong>{ inline(&step.look_for) }</p>
                                if !step.notes.is_empty() {
                                    <ul class="notes">
                                        { for step.notes.iter().map(|note| html! { <li>{ inline(note) }</li> }) }
                                    </ul>
                                }
                            </details>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_step_not_ticked_is_the_one_open() {
        let steps = crate::sample::report().steps;
        assert!(steps.len() > 2);
        let mut done = BTreeSet::new();
        assert_eq!(next_step(&steps, &done), Some(0));
        done.insert(steps[0].id.clone());
        assert_eq!(next_step(&steps, &done), Some(1));
        done.extend(steps.iter().map(|s| s.id.clone()));
        assert_eq!(next_step(&steps, &done), None);
    }

    #[test]
    fn a_closed_step_says_what_it_holds() {
        let step = |commands: usize, notes: usize| Step {
            id: "x".to_owned(),
            page_step: 1,
            title: "X".to_owned(),
            commands: vec!["kubectl get pods".to_owned(); commands],
            look_for: "pods".to_owned(),
            notes: vec!["a note".to_owned(); notes],
        };
        assert_eq!(contents(&step(1, 0)), "1 command, what to look for");
        assert_eq!(contents(&step(3, 2)), "3 commands, what to look for, 2 notes");
        assert_eq!(contents(&step(0, 1)), "what to look for, 1 note");
    }
}
