//! The course page's test procedure with this release's names: commands
//! with copy buttons, what to look for, notes, and a checkbox per step.

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

#[component]
pub fn ClusterSteps(props: &ClusterStepsProps) -> Html {
    let finished = props.steps.iter().filter(|s| props.done.contains(&s.id)).count();
    html! {
        <section id="steps" class="steps" aria-labelledby="steps-heading">
            <h2 id="steps-heading" tabindex="-1">{ "Cluster steps" }</h2>
            <p class="hint">
                { format!("The test procedure with this release's names, for the reviewer's minikube. {finished} of {} done; ticks are remembered in this browser.", props.steps.len()) }
            </p>
            <ol>
                { for props.steps.iter().map(|step| {
                    let checkbox = format!("step-{}", step.id);
                    let id = step.id.clone();
                    let onchange = props.on_toggle.reform(move |_| id.clone());
                    html! {
                        <li class="step" data-step-id={step.id.clone()} key={step.id.clone()}>
                            <div class="step-head">
                                <input type="checkbox" id={checkbox.clone()} checked={props.done.contains(&step.id)} {onchange} />
                                <label for={checkbox}>{ format!("Step {}: {}", step.page_step, step.title) }</label>
                            </div>
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
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
