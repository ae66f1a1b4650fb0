//! A file operation or a long computation a screen runs: an optional dialog first, then the
//! work itself, abortable, each answer dropped when it is stale (cancelled or superseded).

use std::path::PathBuf;

use iced::Task;
use iced::task::Handle;

use crate::gui::widget;

/// What a save dialog offers.
pub struct SaveDialog {
    /// The dialog's title.
    pub title: String,
    /// The file name it suggests.
    pub file_name: String,
    /// The file type's name.
    pub filter: String,
    /// The file type's extensions.
    pub extensions: &'static [&'static str],
}

/// One job's state; its messages carry the generation they were started with.
#[derive(Debug, Default)]
pub struct Job {
    /// A file dialog is open.
    pub(super) dialog_open: bool,
    /// The work runs (writing a file, reading one, a computation).
    pub(super) running: bool,
    pub(super) handle: Option<Handle>,
    /// Answers carrying another generation are stale.
    pub(super) generation: u64,
}

impl Job {
    /// A dialog is open or the work runs.
    pub fn busy(&self) -> bool {
        self.dialog_open || self.running
    }

    /// Marks a dialog open; returns the generation its answer must carry.
    pub fn open_dialog(&mut self) -> u64 {
        self.generation = widget::next_generation();
        self.dialog_open = true;
        self.generation
    }

    /// Opens the system's save dialog as this job's first part; its answer comes back as
    /// `answer(generation, path)` (no path: cancelled, or no dialog could open).
    pub fn save_dialog<M: Send + 'static>(
        &mut self,
        dialog: SaveDialog,
        answer: impl FnOnce(u64, Option<PathBuf>) -> M + Send + 'static,
    ) -> Task<M> {
        let generation = self.open_dialog();
        Task::perform(
            widget::pick_save_path(
                dialog.title,
                dialog.file_name,
                dialog.filter,
                dialog.extensions,
            ),
            move |path| answer(generation, path),
        )
    }

    /// Whether a dialog's answer of `generation` is current; when it is, the dialog is closed.
    pub fn dialog_answered(&mut self, generation: u64) -> bool {
        if generation != self.generation {
            return false;
        }
        self.dialog_open = false;
        true
    }

    /// Runs `task` as this job's work (stopping any before it); returns it abortable.
    pub fn run<M: Send + 'static>(&mut self, task: impl FnOnce(u64) -> Task<M>) -> Task<M> {
        self.stop();
        self.running = true;
        let (task, handle) = task(self.generation).abortable();
        self.handle = Some(handle);
        task
    }

    /// Whether a message of `generation` belongs to the work running now (for work that
    /// sends several, such as progress; [`Job::finish`] ends it).
    pub fn is_current(&self, generation: u64) -> bool {
        self.running && generation == self.generation
    }

    /// Whether an answer of `generation` is current; ends the job when it is.
    pub fn finish(&mut self, generation: u64) -> bool {
        if generation != self.generation {
            return false;
        }
        self.dialog_open = false;
        self.running = false;
        self.handle = None;
        true
    }

    /// Aborts the work and makes every answer still on its way stale (a dialog cannot be
    /// closed from here: its answer is dropped).
    pub fn stop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.abort();
        }
        self.generation = widget::next_generation();
        self.dialog_open = false;
        self.running = false;
    }
}
