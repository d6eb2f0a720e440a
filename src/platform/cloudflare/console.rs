//! Console output for Workers Logs.

pub fn info(line: &str) {
    worker::console_log!("{line}");
}

pub fn error(line: &str) {
    worker::console_error!("{line}");
}
