//! The web page: no threads (work runs in its tasks between frames), downloads for files, the
//! page's address and title for the scene, and the entry point the page's script calls.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Instant;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// What to do when a file dialog chose nothing.
pub const NO_DIALOG: &str = "the web page has no file dialog: drop a scene, lesson or data file on the page; exports download";
/// What saving a file is called in notices.
pub const SAVED: &str = "downloaded";

/// Runs `work` now: the page has no threads.
pub fn spawn(_name: &str, work: impl FnOnce() + Send + 'static) -> Result<(), String> {
    work();
    Ok(())
}

/// Repeats `work` in the page's tasks between frames until it returns `None`, resting between
/// turns as long as each asks (woken early by [`Repeating::wake`]); the page draws between
/// turns, so a turn of a few milliseconds never holds up a frame for long.
pub fn repeat(
    _name: &str,
    work: impl FnMut() -> Option<Duration> + 'static,
) -> Result<Repeating, String> {
    let id = TASKS.with(|t| {
        let mut tasks = t.borrow_mut();
        tasks.next_id += 1;
        let id = tasks.next_id;
        (tasks.list).push((id, Instant::now(), Box::new(work)));
        id
    });
    schedule();
    Ok(Repeating { id })
}

/// Work repeated by [`repeat`].
pub struct Repeating {
    id: u64,
}

impl Repeating {
    /// Starts its next turn now if it is resting.
    pub fn wake(&self) {
        let now = Instant::now();
        TASKS.with(|t| {
            for task in t.borrow_mut().list.iter_mut().filter(|t| t.0 == self.id) {
                task.1 = task.1.min(now);
            }
        });
        schedule();
    }

    /// Why the work is no longer repeated (`None` while it is).
    pub fn stopped(&mut self) -> Option<String> {
        let running = TASKS.with(|t| t.borrow().list.iter().any(|t| t.0 == self.id));
        (!running).then(|| "it has stopped".into())
    }
}

/// A repeated work, its id and when its next turn is due.
type Task = (u64, Instant, Box<dyn FnMut() -> Option<Duration>>);

/// The repeated works, and when the next [`pump`] is asked for.
#[derive(Default)]
struct Tasks {
    list: Vec<Task>,
    next_id: u64,
    /// The message channel whose messages (and timers) run [`pump`].
    channel: Option<(web_sys::MessageChannel, Closure<dyn FnMut()>)>,
    /// When the pending message or timer was asked to run the pump, if one is pending.
    asked: Option<Instant>,
}

thread_local! {
    static TASKS: std::cell::RefCell<Tasks> = std::cell::RefCell::default();
}

/// Runs the turn of the oldest task due (one a browser task, so the page draws between turns),
/// then asks for the next pump.
fn pump() {
    TASKS.with(|t| t.borrow_mut().asked = None);
    let now = Instant::now();
    let due = TASKS.with(|t| {
        let mut tasks = t.borrow_mut();
        // Of the tasks due, the oldest: the runs before the jobs started after them.
        let first = (0..tasks.list.len())
            .filter(|&i| tasks.list[i].1 <= now)
            .min_by_key(|&i| tasks.list[i].0)?;
        Some(tasks.list.swap_remove(first))
    });
    // The work runs outside the borrow: it may start or wake other tasks.
    if let Some((id, _, mut work)) = due
        && let Some(rest) = work()
    {
        let next = Instant::now() + rest;
        TASKS.with(|t| t.borrow_mut().list.push((id, next, work)));
    }
    schedule();
}

/// When the app's last frame started, and the smoothed time between frames.
#[derive(Clone, Copy)]
struct Frames {
    last: Option<Instant>,
    interval: Duration,
}

thread_local! {
    static FRAMES: std::cell::Cell<Frames> = const {
        std::cell::Cell::new(Frames { last: None, interval: Duration::from_millis(16) })
    };
}

/// Notes that a frame of the app starts (repeated work yields to the next one in time).
pub fn frame_started() {
    let now = Instant::now();
    FRAMES.with(|f| {
        let Frames { last, interval } = f.get();
        let gap = last.map_or(interval, |t| (now - t).min(Duration::from_millis(250)));
        f.set(Frames {
            last: Some(now),
            interval: (interval * 7 + gap) / 8,
        });
    });
}

/// Whether repeated work has had its share of the time since the last frame started: half
/// the time between frames, at least 12 ms (so a 60 Hz display keeps its frames).
fn frame_due(now: Instant) -> bool {
    let Frames { last, interval } = FRAMES.with(|f| f.get());
    let share = (interval / 2).max(Duration::from_millis(12));
    last.is_some_and(|t| now - t > share)
}

/// Asks for the next pump unless one is asked for by then: a message (the next task, no
/// delay) once the first task is due, a timer until then.
fn schedule() {
    TASKS.with(|t| {
        let mut tasks = t.borrow_mut();
        let Some(next) = tasks.list.iter().map(|t| t.1).min() else {
            return;
        };
        if tasks.asked.is_some_and(|asked| asked <= next) {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        if tasks.channel.is_none() {
            let Ok(channel) = web_sys::MessageChannel::new() else {
                return;
            };
            let pump = Closure::<dyn FnMut()>::new(pump);
            channel
                .port1()
                .set_onmessage(Some(pump.as_ref().unchecked_ref()));
            tasks.channel = Some((channel, pump));
        }
        let Some((channel, pump)) = &tasks.channel else {
            return;
        };
        let now = Instant::now();
        let wait = next.saturating_duration_since(now);
        let asked = match wait.is_zero() {
            // A frame is due: the next turn waits for it (runs just before it draws).
            true if frame_due(now) => {
                let callback = pump.as_ref().unchecked_ref();
                window.request_animation_frame(callback).map(drop)
            }
            true => channel.port2().post_message(&JsValue::NULL),
            false => {
                let ms = wait.as_millis().min(i32::MAX as u128) as i32;
                let callback = pump.as_ref().unchecked_ref();
                (window.set_timeout_with_callback_and_timeout_and_arguments_0(callback, ms))
                    .map(drop)
            }
        };
        if asked.is_ok() {
            tasks.asked = Some(next);
        }
    });
}

/// Saves `bytes` as a download named like `path`'s file.
pub fn save(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let name = path
        .file_name()
        .map_or("download".into(), |n| n.to_string_lossy());
    download(&name, bytes).map_err(|e| format!("cannot download {name}: {e:?}"))
}

fn download(name: &str, bytes: &[u8]) -> Result<(), JsValue> {
    let document = document()?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/octet-stream");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    web_sys::Url::revoke_object_url(&url)
}

/// Reads a file dropped on the page (the browser reads it asynchronously) and hands its bytes
/// to `done`.
pub fn read_dropped(
    file: eframe::egui::DroppedFileHandle,
    done: impl FnOnce(Result<Vec<u8>, String>) + 'static,
) {
    wasm_bindgen_futures::spawn_local(async move { done(file.bytes_async().await) });
}

/// The page has no file dialog that returns a path (files are downloads).
pub fn pick(_dialog: super::Ask) -> Option<PathBuf> {
    None
}

/// Lets the visitor choose a file to open (the browser's file chooser, through `rfd`) and hands
/// its name and bytes to `done`; nothing when none was chosen.
pub fn pick_bytes(
    title: &'static str,
    filter: Option<(&'static str, &'static [&'static str])>,
    done: impl FnOnce(String, Vec<u8>) + 'static,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let mut dialog = rfd::AsyncFileDialog::new().set_title(title);
        if let Some((name, extensions)) = filter {
            dialog = dialog.add_filter(name, extensions);
        }
        if let Some(file) = dialog.pick_file().await {
            done(file.file_name(), file.read().await);
        }
    });
}

/// Writes the scene's link into the address bar (no new history entry) and names the tab.
pub fn show_scene(fragment: &str, title: &str) {
    let Ok(document) = document() else { return };
    document.set_title(title);
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

/// The page's own address (without its fragment): links copied on the page point back to it.
pub fn page_address() -> Option<String> {
    let location = web_sys::window()?.location();
    Some(format!(
        "{}{}",
        location.origin().ok()?,
        location.pathname().ok()?
    ))
}

/// Hands the page's script a JSON text (`window.dlnState`): what the runs reached, frame times.
pub fn expose(json: &str) {
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"dlnState".into(), &json.into());
    }
}

fn document() -> Result<web_sys::Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| "no document".into())
}

/// The page opens the app itself (see [`start`]); there is no window to open.
pub fn open_window(
    _size: [f32; 2],
    _store: Option<PathBuf>,
    _create: eframe::AppCreator<'static>,
) -> Result<(), String> {
    Err("the web page opens the app on its canvas (web/build.sh)".into())
}

/// Starts the app on the page's canvas `dln-canvas`, on the scene of the address's fragment.
#[wasm_bindgen(start)]
pub fn start() {
    let fragment = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(canvas) = document()
            .and_then(|d| {
                d.get_element_by_id("dln-canvas")
                    .ok_or_else(|| "no canvas".into())
            })
            .and_then(|c| {
                c.dyn_into::<web_sys::HtmlCanvasElement>()
                    .map_err(JsValue::from)
            })
        else {
            return;
        };
        let launch = crate::app::launch::Launch::from_link(&fragment);
        let started = eframe::WebRunner::new()
            .start(
                canvas,
                eframe::WebOptions::default(),
                Box::new(move |cc| Ok(Box::new(launch.build(&cc.egui_ctx, cc.storage)))),
            )
            .await;
        if let Err(e) = started {
            expose(&format!("{{\"error\": {:?}}}", format!("{e:?}")));
        }
    });
}
