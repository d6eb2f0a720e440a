//! How a prompt text is put together: an opening, numbered steps (numbered
//! here, so an optional step never leaves a gap), and phrases several
//! prompts share.

use std::fmt::Write as _;

/// A workflow text under construction.
#[derive(Debug, Default)]
pub(super) struct Workflow {
    head: Vec<String>,
    steps: Vec<String>,
}

impl Workflow {
    /// Starts with the goal, one paragraph.
    pub fn new(goal: impl Into<String>) -> Self {
        Workflow {
            head: vec![goal.into()],
            steps: Vec::new(),
        }
    }

    /// Another paragraph before the steps.
    pub fn para(mut self, text: impl Into<String>) -> Self {
        self.head.push(text.into());
        self
    }

    /// The next step.
    pub fn step(mut self, text: impl Into<String>) -> Self {
        self.steps.push(text.into());
        self
    }

    /// The next step, if there is one.
    pub fn step_if(self, text: Option<String>) -> Self {
        match text {
            Some(text) => self.step(text),
            None => self,
        }
    }

    pub fn finish(self) -> String {
        let mut out = self.head.join("\n\n");
        out.push('\n');
        for (i, step) in self.steps.iter().enumerate() {
            // Writing to a String cannot fail.
            let _ = write!(out, "\n{}. {step}", i + 1);
        }
        out
    }
}

/// The step that turns an agent name into an agent id.
pub(super) fn find_agent(name: &str) -> String {
    format!(
        "Call `search_agents` with query `{name}`. If several agents match, take the exact \
         name match or ask the user which one they mean; if none matches, tell the user and \
         stop. Use the agent's id as agentId below."
    )
}
