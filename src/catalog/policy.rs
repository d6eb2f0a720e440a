//! The two rules a model must follow before it builds or runs an agent
//! (spec/prompts.md §4): our own wording of the 1.3.0 policies. The
//! sufficiency policy is part of the server instructions; the prompt-handling
//! policy ends `start_agent_build`'s description.
//!
//! Each text is a macro as well as a constant so it can be `concat!`ed into
//! other `const` strings.

/// See [`SUFFICIENCY_POLICY`].
macro_rules! sufficiency_policy {
    () => {
        "Sufficiency policy (for every request to build or run an agent): before calling a \
tool that builds or starts an agent, three things must be clear from what the user has said \
in this conversation: the website (a URL or domain), the data to extract, and the scope \
(which pages, items, filters or limits). Do not fill a gap by analogy with other sites, \
agents or schemas.\n\
If any of the three is missing or ambiguous, ask the user one question that covers \
everything missing (or state the assumption you would make and ask them to confirm it), \
and call no such tool until they answer."
    };
}
pub(crate) use sufficiency_policy;

/// See [`PROMPT_HANDLING_POLICY`].
macro_rules! prompt_handling_policy {
    () => {
        "Prompt-handling policy: pass the user's own words, plus their answers to any \
clarifying question, as `prompt`, unchanged except for trivial fixes such as adding https:// \
to a bare domain. Never add URLs, fields, output formats, filters, pagination or other rules \
the user did not give; if something seems essential, ask the user instead."
    };
}
pub(crate) use prompt_handling_policy;

/// Ask one clarifying question when a build or run request lacks the site,
/// the data or the scope.
pub const SUFFICIENCY_POLICY: &str = sufficiency_policy!();

/// Give `start_agent_build` the user's words; invent nothing.
pub const PROMPT_HANDLING_POLICY: &str = prompt_handling_policy!();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_are_plain_text_and_the_prompt_policy_is_one_line() {
        assert!(!PROMPT_HANDLING_POLICY.contains('\n'));
        for policy in [SUFFICIENCY_POLICY, PROMPT_HANDLING_POLICY] {
            assert!(!policy.contains("  "), "{policy}");
            assert!(policy.ends_with('.'), "{policy}");
        }
    }
}
