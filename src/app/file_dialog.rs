//! Native file dialogs (the `rfd` crate) for scene, data and lesson files and the export
//! folder. A dialog runs on a job thread, so the window keeps drawing while it is open; what it
//! picks fills the menu's field and is opened (or saved) as a typed path would be.

use std::path::{Path, PathBuf};

use eframe::egui;

use super::dispatch::Request;
use super::job::Job;

/// A file operation on a path: what a dialog picks for, and what a typed path does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileOp {
    /// Save the scene as TOML.
    SaveScene,
    /// Load a scene file (TOML).
    LoadScene,
    /// Open a data file (.npz or .csv).
    OpenData,
    /// Open a lesson file (TOML).
    OpenLesson,
    /// Choose the folder exports are written to.
    ExportFolder,
}

use crate::platform::{Ask, Kind};

impl FileOp {
    /// The dialog's title.
    pub fn title(self) -> &'static str {
        match self {
            FileOp::SaveScene => "Save the scene as",
            FileOp::LoadScene => "Load a scene",
            FileOp::OpenData => "Open a data file",
            FileOp::OpenLesson => "Open a lesson",
            FileOp::ExportFolder => "Write exports into",
        }
    }

    /// Open, save or folder.
    fn kind(self) -> Kind {
        match self {
            FileOp::SaveScene => Kind::Save,
            FileOp::ExportFolder => Kind::Folder,
            _ => Kind::Open,
        }
    }

    /// The file types the dialog offers (name, extensions).
    pub fn filter(self) -> Option<(&'static str, &'static [&'static str])> {
        match self {
            FileOp::SaveScene | FileOp::LoadScene => Some(("Scene (TOML)", &["toml"])),
            FileOp::OpenLesson => Some(("Lesson (TOML)", &["toml"])),
            FileOp::OpenData => Some(("Data (NumPy .npz or CSV)", &["npz", "csv"])),
            FileOp::ExportFolder => None,
        }
    }
}

/// A dialog open on its thread.
pub struct Dialog {
    op: FileOp,
    job: Job<Option<PathBuf>>,
}

impl Dialog {
    /// Opens the dialog for `op`, starting at `current` (the field's path).
    pub fn open(ctx: &egui::Context, op: FileOp, current: &str) -> Result<Dialog, String> {
        let (dir, name) = start(Path::new(current), matches!(op.kind(), Kind::Folder));
        let ask = Ask {
            title: op.title(),
            dir,
            name,
            filter: op.filter(),
            kind: op.kind(),
        };
        let job = Job::spawn(ctx, "file-dialog", 0, move |_| crate::platform::pick(ask))?;
        Ok(Dialog { op, job })
    }

    /// What it was opened for.
    pub fn op(&self) -> FileOp {
        self.op
    }

    /// Once closed: the path picked, or `Ok(None)` if none was.
    pub fn poll(&self, ctx: &egui::Context) -> Option<Result<Option<PathBuf>, String>> {
        self.job.poll(ctx)
    }
}

/// The folder a dialog starts in and the file name it proposes, from the field's path: a
/// folder field starts in the folder itself (when it exists), a file field beside the file.
fn start(current: &Path, folder: bool) -> (Option<PathBuf>, String) {
    let absolute = std::path::absolute(current).unwrap_or_else(|_| current.to_path_buf());
    let dir = match folder {
        true => Some(absolute.clone()),
        false => absolute.parent().map(Path::to_path_buf),
    };
    let name = (current.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (dir.filter(|d| d.is_dir()), name)
}

/// A menu's path field for `op` with its "…" button: Enter on a typed path does `op` on it,
/// the button opens the native dialog; either closes the menu.
pub fn field(
    ui: &mut egui::Ui,
    label: &str,
    path: &mut String,
    op: FileOp,
    out: &mut Vec<Request>,
) {
    ui.horizontal(|ui| {
        let name = ui.label(label).id;
        let typed = (ui.text_edit_singleline(path).labelled_by(name)).on_hover_text(format!(
            "{}: type a path and press Enter, or choose with …",
            op.title()
        ));
        if typed.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            out.push(Request::File(op, PathBuf::from(path.as_str())));
            ui.close();
        }
        if ui.button("…").on_hover_text(op.title()).clicked() {
            out.push(Request::Browse(op));
            ui.close();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dialog_starts_beside_the_fields_file_or_in_its_folder() {
        let here = std::env::current_dir().expect("cwd");
        assert_eq!(
            start(Path::new("scene.toml"), false),
            (Some(here.clone()), "scene.toml".into())
        );
        let tmp = std::env::temp_dir();
        assert_eq!(start(&tmp, true).0, Some(tmp.clone()));
        // A folder that does not exist yet: the dialog opens where the system chooses.
        assert_eq!(start(&tmp.join("no-such-dir-dln"), true).0, None);
    }
}
