//! The one list of user commands: it drives the menus, the keyboard shortcuts and the help
//! sheet, so they cannot drift apart.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers, gui_zoom::kb_shortcuts};

/// Something the user can ask the app to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Play or pause the runs.
    PlayPause,
    /// One step of each method.
    Step,
    /// Restart the runs from the initialisation.
    Reset,
    /// Draw new data (a new seed).
    NewSeed,
    /// Large fonts, thick lines, light high-contrast theme, controls collapsed.
    Presentation,
    /// Enlarge everything.
    ZoomIn,
    /// Shrink everything.
    ZoomOut,
    /// Back to 100 %.
    ZoomReset,
    /// Open or close the α-sweep panel.
    SweepPanel,
    /// Save a PNG of the whole window.
    ExportWindowPng,
    /// Save an SVG of every plot.
    ExportSvg,
    /// Save every series as CSV.
    ExportCsv,
    /// Save the scenario as TOML to the scene file named in the Scene menu.
    SaveScenario,
    /// Save the scenario as TOML where a file dialog says.
    SaveScenarioAs,
    /// Load a scenario (TOML) chosen in a file dialog.
    LoadScenario,
    /// Copy the settings as TOML text.
    CopySettings,
    /// Copy the web page's link to the scene (or the lesson's step).
    CopyLink,
    /// Open or close the help window.
    Help,
    /// The next step of the open lesson.
    LessonNext,
    /// The previous step of the open lesson.
    LessonPrev,
    /// Open a lesson file chosen in a file dialog.
    OpenLessonFile,
    /// Close the lesson.
    ExitLesson,
    /// Open a data file (.npz or .csv) chosen in a file dialog.
    OpenData,
    /// Save the current data as .npz.
    ExportData,
}

/// A command: what it is called, its shortcut and what it does.
#[derive(Clone, Copy, Debug)]
pub struct CommandSpec {
    /// The action.
    pub action: Action,
    /// Menu label.
    pub label: &'static str,
    /// Keyboard shortcut, if any.
    pub shortcut: Option<KeyboardShortcut>,
    /// One line for tooltips and the help sheet.
    pub help: &'static str,
}

const fn key(k: Key) -> Option<KeyboardShortcut> {
    Some(KeyboardShortcut::new(Modifiers::NONE, k))
}

const fn ctrl(k: Key) -> Option<KeyboardShortcut> {
    Some(KeyboardShortcut::new(Modifiers::COMMAND, k))
}

const fn ctrl_shift(k: Key) -> Option<KeyboardShortcut> {
    Some(KeyboardShortcut::new(
        Modifiers::COMMAND.plus(Modifiers::SHIFT),
        k,
    ))
}

/// Every command, in menu order.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        action: Action::PlayPause,
        label: "Play / pause",
        shortcut: key(Key::Space),
        help: "Start or stop stepping GD, SGD and SGF.",
    },
    CommandSpec {
        action: Action::Step,
        label: "Single step",
        shortcut: key(Key::ArrowRight),
        help: "Pause and show the next recorded step of the reveal; once it is over, advance every method by one step k → k+1.",
    },
    CommandSpec {
        action: Action::Reset,
        label: "Reset",
        shortcut: key(Key::R),
        help: "Restart all runs from u₀ = α𝟙, v₀ = 0 on the same data.",
    },
    CommandSpec {
        action: Action::NewSeed,
        label: "New seed",
        shortcut: key(Key::N),
        help: "Draw new data X, β* (and sampling) from the next seed.",
    },
    CommandSpec {
        action: Action::Presentation,
        label: "Presentation mode",
        shortcut: key(Key::F5),
        help: "Large fonts, thick lines, light high-contrast theme, controls collapsed.",
    },
    CommandSpec {
        action: Action::ZoomIn,
        label: "Zoom in",
        shortcut: Some(kb_shortcuts::ZOOM_IN),
        help: "Enlarge everything (also Ctrl =).",
    },
    CommandSpec {
        action: Action::ZoomOut,
        label: "Zoom out",
        shortcut: Some(kb_shortcuts::ZOOM_OUT),
        help: "Shrink everything.",
    },
    CommandSpec {
        action: Action::ZoomReset,
        label: "Reset zoom",
        shortcut: Some(kb_shortcuts::ZOOM_RESET),
        help: "Back to 100 %.",
    },
    CommandSpec {
        action: Action::SweepPanel,
        label: "α-sweep panel",
        shortcut: key(Key::F6),
        help: "Run the α-sweep: recovery error vs α over seeds, GD vs SGD vs SGF.",
    },
    CommandSpec {
        action: Action::ExportWindowPng,
        label: "Export window as PNG",
        shortcut: ctrl(Key::P),
        help: "Save a PNG of the whole window as the screen shows it, in its pixels (Export → Slide gives a clean 1920×1080 or 3840×2160 picture without the app around it).",
    },
    CommandSpec {
        action: Action::ExportSvg,
        label: "Export plots as SVG",
        shortcut: ctrl(Key::E),
        help: "Save each of the four plots as a vector SVG with axes and legend.",
    },
    CommandSpec {
        action: Action::ExportCsv,
        label: "Export series as CSV",
        shortcut: None,
        help: "Save every plotted series with a header recording every parameter.",
    },
    CommandSpec {
        action: Action::SaveScenario,
        label: "Save scenario",
        shortcut: ctrl(Key::S),
        help: "Save the current settings as a scene file (TOML) to the file named in the Scene menu; the notice says when it replaced a file.",
    },
    CommandSpec {
        action: Action::SaveScenarioAs,
        label: "Save scenario as…",
        shortcut: ctrl_shift(Key::S),
        help: "Save the current settings as a scene file (TOML) where a file dialog says.",
    },
    CommandSpec {
        action: Action::LoadScenario,
        label: "Load scenario…",
        shortcut: ctrl(Key::O),
        help: "Load a scene file (TOML), written by Save or by hand, chosen in a file dialog (or type its path in the Scene menu and press Enter).",
    },
    CommandSpec {
        action: Action::CopySettings,
        label: "Copy settings",
        shortcut: None,
        help: "Copy the current settings as TOML text to the clipboard.",
    },
    CommandSpec {
        action: Action::CopyLink,
        label: "Copy link",
        shortcut: None,
        help: "Copy a link to the web page that opens this scene (or this lesson step) in a browser.",
    },
    CommandSpec {
        action: Action::Help,
        label: "Help",
        shortcut: key(Key::F1),
        help: "The model, the four dynamics, the theorem and these shortcuts.",
    },
    CommandSpec {
        action: Action::LessonNext,
        label: "Next lesson step",
        shortcut: key(Key::PageDown),
        help: "The next step of the open lesson (also → while a lesson is open; clickers send PageDown).",
    },
    CommandSpec {
        action: Action::LessonPrev,
        label: "Previous lesson step",
        shortcut: key(Key::PageUp),
        help: "The previous step of the open lesson (also ← while a lesson is open).",
    },
    CommandSpec {
        action: Action::OpenLessonFile,
        label: "Open lesson file…",
        shortcut: None,
        help: "Open a lesson file (TOML) chosen in a file dialog (or type its path in the Lesson menu and press Enter).",
    },
    CommandSpec {
        action: Action::ExitLesson,
        label: "Exit lesson",
        shortcut: None,
        help: "Close the lesson; the scene on screen stays and → steps the runs again.",
    },
    CommandSpec {
        action: Action::OpenData,
        label: "Open data…",
        shortcut: None,
        help: "Train on your own data, chosen in a file dialog: a NumPy .npz (X, y, optional beta_star, X_test, y_test) or a CSV with a header and a column y. Dropping a file on the window, or typing its path in the Scene menu and pressing Enter, does the same.",
    },
    CommandSpec {
        action: Action::ExportData,
        label: "Export data (.npz)",
        shortcut: None,
        help: "Save X, y, β* and the test set of the current scene as dln-data.npz (NumPy), to reproduce it exactly.",
    },
];

/// While a lesson is open, → and ← turn its pages (taken before → would step the runs).
pub const LESSON_ARROWS: [(Key, Action); 2] = [
    (Key::ArrowRight, Action::LessonNext),
    (Key::ArrowLeft, Action::LessonPrev),
];

/// Consumes → and ← and returns their lesson actions (none while a text field has focus).
pub fn lesson_arrows(ctx: &egui::Context) -> Vec<Action> {
    if ctx.egui_wants_keyboard_input() {
        return Vec::new();
    }
    (LESSON_ARROWS.iter())
        .filter(|(k, _)| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, *k)))
        .map(|(_, a)| *a)
        .collect()
}

/// The spec of an action.
pub fn spec(action: Action) -> &'static CommandSpec {
    COMMANDS
        .iter()
        .find(|c| c.action == action)
        .unwrap_or(&COMMANDS[0])
}

/// The shortcut of a command as text (empty if none).
pub fn shortcut_text(ctx: &egui::Context, spec: &CommandSpec) -> String {
    spec.shortcut
        .map(|s| ctx.format_shortcut(&s))
        .unwrap_or_default()
}

/// Consumes the pressed shortcuts and returns their actions (none while a text field has focus).
pub fn pressed(ctx: &egui::Context) -> Vec<Action> {
    if ctx.egui_wants_keyboard_input() {
        return Vec::new();
    }
    let mut out: Vec<Action> = COMMANDS
        .iter()
        .filter(|c| {
            c.shortcut
                .is_some_and(|s| ctx.input_mut(|i| i.consume_shortcut(&s)))
        })
        .map(|c| c.action)
        .collect();
    if ctx.input_mut(|i| i.consume_shortcut(&kb_shortcuts::ZOOM_IN_SECONDARY)) {
        out.push(Action::ZoomIn);
    }
    out
}

/// A menu button for a command, with its shortcut shown; true when clicked.
pub fn menu_item(ui: &mut egui::Ui, action: Action) -> bool {
    let spec = spec(action);
    let shortcut = shortcut_text(ui.ctx(), spec);
    let clicked = (ui.add(egui::Button::new(spec.label).shortcut_text(shortcut)))
        .on_hover_text(spec.help)
        .clicked();
    if clicked {
        ui.close();
    }
    clicked
}
