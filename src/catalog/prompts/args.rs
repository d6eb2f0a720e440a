//! Prompt arguments: the untrusted `arguments` object of a `prompts/get`
//! becomes [`Args`] here, or a [`PromptError`] naming what is wrong.
//!
//! Every value is sanitized the same way, for every prompt (the original
//! sanitized only the two builder prompts): values are interpolated inside
//! backticks in the text a model follows, so they must stay one line and
//! must not close the backticks.

use serde_json::{Map, Value};

use super::{ArgSpec, PromptSpec};
use crate::text::clip;

/// The most characters of a client-supplied name an error message repeats.
const ECHO_MAX: usize = 64;

/// Why a `prompts/get` is refused. Each becomes JSON-RPC -32602 at the
/// protocol boundary (MCP 2025-11-25, server/prompts, "Error Handling").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromptError {
    #[error("Unknown prompt: {0}")]
    UnknownPrompt(String),
    #[error("Missing required argument: {0}")]
    MissingArgument(&'static str),
    #[error("Argument '{0}' must be a string")]
    NotAString(String),
    #[error("Unknown argument '{0}' for this prompt")]
    UnknownArgument(String),
    #[error("Argument '{name}' is longer than {max} characters")]
    TooLong { name: &'static str, max: usize },
    #[error("Argument '{name}' must be at least {min} characters")]
    TooShort { name: &'static str, min: usize },
}

impl PromptError {
    /// An unknown prompt name, cut to a length fit for an error message.
    pub fn unknown_prompt(name: &str) -> Self {
        PromptError::UnknownPrompt(echo(name))
    }
}

/// At most [`ECHO_MAX`] characters of `s`, with an ellipsis when cut.
fn echo(s: &str) -> String {
    clip(s, ECHO_MAX)
}

/// A prompt's arguments after sanitizing and checking: only declared names,
/// each present value non-empty and within its limits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    values: Vec<(&'static str, String)>,
}

impl Args {
    /// Checks `raw` (the `arguments` of a `prompts/get`; `None` when absent
    /// or null) against `spec`'s declared arguments.
    pub fn parse(spec: &PromptSpec, raw: Option<&Map<String, Value>>) -> Result<Args, PromptError> {
        if let Some(raw) = raw {
            for (name, value) in raw {
                let Some(arg) = spec.arguments.iter().find(|a| a.name == name) else {
                    return Err(PromptError::UnknownArgument(echo(name)));
                };
                // `null` is absent, as for tool parameters.
                if !value.is_string() && !value.is_null() {
                    return Err(PromptError::NotAString(arg.name.to_owned()));
                }
            }
        }
        let mut values = Vec::new();
        for arg in spec.arguments {
            let value = raw
                .and_then(|m| m.get(arg.name))
                .and_then(Value::as_str)
                .and_then(sanitize);
            match value {
                Some(v) => values.push((arg.name, check(arg, v)?)),
                None if arg.required => return Err(PromptError::MissingArgument(arg.name)),
                None => {}
            }
        }
        Ok(Args { values })
    }

    /// Arguments set directly, unchecked: for tests and the reference docs.
    pub fn from_pairs(pairs: &[(&'static str, &str)]) -> Args {
        Args {
            values: pairs.iter().map(|&(k, v)| (k, v.to_owned())).collect(),
        }
    }

    /// The sanitized value of `name`, if it was given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of a required argument. [`Args::parse`] guarantees it is
    /// there; an `Args` built otherwise gets an empty string.
    pub(super) fn required(&self, name: &str) -> &str {
        self.get(name).unwrap_or_default()
    }
}

fn check(arg: &ArgSpec, value: String) -> Result<String, PromptError> {
    let n = value.chars().count();
    if n > arg.max_chars {
        Err(PromptError::TooLong {
            name: arg.name,
            max: arg.max_chars,
        })
    } else if n < arg.min_chars {
        Err(PromptError::TooShort {
            name: arg.name,
            min: arg.min_chars,
        })
    } else {
        Ok(value)
    }
}

/// One line, trimmed, no backticks; `None` when nothing is left. Every run
/// of control characters (Unicode Cc, and the line and paragraph separators
/// U+2028/U+2029) becomes one space; a backtick becomes an apostrophe.
pub fn sanitize(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut in_run = false;
    for c in raw.chars() {
        if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
            if !in_run {
                out.push(' ');
            }
            in_run = true;
            continue;
        }
        in_run = false;
        out.push(if c == '`' { '\'' } else { c });
    }
    // As start_agent_build trims: whitespace and the byte-order mark.
    let trimmed = out.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}
