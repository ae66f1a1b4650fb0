//! Helpers the window's tests share: running a `Task` to its end, a screen in the headless
//! simulator, and the real SCIM server.

use iced::{Element, Size, Task};
use iced_test::Simulator;

/// A screen's view in iced's headless simulator, at the width of the window's step column and
/// tall enough that nothing is scrolled away.
pub fn simulator<'a, M: 'a>(view: impl Into<Element<'a, M>>) -> Simulator<'a, M> {
    Simulator::with_size(iced::Settings::default(), Size::new(812.0, 2400.0), view)
}

/// Runs a task to its end on a tokio runtime and returns what it produced (window and clipboard
/// actions, which need a real window, are dropped).
pub fn run_task<T: Send + 'static>(task: Task<T>) -> Vec<T> {
    use iced::futures::StreamExt;
    use iced_test::runtime::Action as RuntimeAction;
    let Some(stream) = iced_test::runtime::task::into_stream(task) else {
        return Vec::new();
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(
        stream
            .filter_map(|action| async move {
                match action {
                    RuntimeAction::Output(output) => Some(output),
                    _ => None,
                }
            })
            .collect(),
    )
}

/// The real SCIM server of `scripts/peers` on a free loopback port, stopped when dropped.
pub struct ScimPeer {
    pid: String,
    /// `http://127.0.0.1:PORT/v2`.
    pub base_url: String,
}

impl ScimPeer {
    /// Starts the server accepting `token` (installs it on first use).
    pub fn start(token: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/peers/scim/start.sh");
        let output = std::process::Command::new("bash")
            .args([script, &port.to_string(), token])
            .output()
            .expect("bash runs the SCIM peer's start script");
        assert!(
            output.status.success(),
            "the SCIM peer did not start (needs python3 with venv and curl): {}",
            String::from_utf8_lossy(&output.stderr)
        );
        Self {
            pid: String::from_utf8_lossy(&output.stdout).trim().to_owned(),
            base_url: format!("http://127.0.0.1:{port}/v2"),
        }
    }
}

impl Drop for ScimPeer {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill").arg(&self.pid).status();
    }
}
