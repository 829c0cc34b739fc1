//! The web page: no threads (work runs in the frame), downloads for files, the page's address
//! and title for the scene, and the entry point the page's script calls.

use std::path::{Path, PathBuf};

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
