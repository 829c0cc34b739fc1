//! The app's exports: the figures of the live plots (the same [`crate::figure::scene`] panels
//! the screen draws) as SVG, PNG at 1×–3×, 16:9 slides and CSV with every parameter, the sweep
//! figure and the window. The figures are built on the UI thread (cheap); rendering, rasterising and writing
//! happen in [`Export::write`], which the app runs as a background job.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui;

use crate::experiment::Record;
use crate::figure::figures::PlotKind;
use crate::figure::scene::{self, LIVE_PLOTS, ViewOptions};
use crate::figure::{Figure, csv, png, slide, svg};
use crate::model::{Config, Problem, ProblemSpec};

/// What is on screen: the runs, the view options and the scene's title.
#[derive(Clone, Copy)]
pub struct View<'a> {
    /// The runs.
    pub live: &'a Record,
    /// How the plots are shown.
    pub options: ViewOptions,
    /// Figure title (the scene's).
    pub title: &'a str,
}

/// A figure of the given plots stacked.
pub fn figure(plots: &[PlotKind], view: View<'_>) -> Figure {
    scene::figure(plots, view.live, view.options, view.title)
}

/// What one file holds before it is written.
enum Content {
    /// A figure as SVG.
    Svg(Figure),
    /// A figure rasterised at a scale.
    Png(Figure, u8),
    /// Text as it is.
    Text(String),
    /// A figure as a 16:9 slide under a caption, as SVG (`None`) or PNG at a scale.
    Slide(Figure, String, Option<u8>),
    /// A screenshot of the window.
    Window(Arc<egui::ColorImage>),
    /// The data of a problem (generated in the job) as `.npz`.
    Npz(Box<ProblemSpec>),
}

/// Files to write into one folder.
pub struct Export {
    dir: PathBuf,
    files: Vec<(String, Content)>,
}

impl Export {
    /// An SVG of each plot, `dln-<plot>.svg`.
    pub fn svgs(dir: &Path, kinds: &[PlotKind], view: View<'_>) -> Export {
        let files = kinds
            .iter()
            .map(|k| {
                let name = format!("dln-{}.svg", view.options.shows(*k).name());
                (name, Content::Svg(figure(&[*k], view)))
            })
            .collect();
        Export::new(dir, files)
    }

    /// A PNG of one plot at `scale`, `dln-<plot>@<scale>x.png` (rasterised from its SVG).
    pub fn png(dir: &Path, kind: PlotKind, scale: u8, view: View<'_>) -> Export {
        let name = format!("dln-{}@{scale}x.png", view.options.shows(kind).name());
        Export::new(
            dir,
            vec![(name, Content::Png(figure(&[kind], view), scale))],
        )
    }

    /// A slide of `fig` under `caption`: `<name>.svg` and `<name>-<W>x<H>.png` at `scale` ×
    /// 1920×1080.
    pub fn slide(dir: &Path, name: &str, fig: Figure, caption: &str, scale: u8) -> Export {
        let [w, h] = slide::PAGE.map(|v| v as u32 * u32::from(scale));
        let files = vec![
            (
                format!("{name}.svg"),
                Content::Slide(fig.clone(), caption.into(), None),
            ),
            (
                format!("{name}-{w}x{h}.png"),
                Content::Slide(fig, caption.into(), Some(scale)),
            ),
        ];
        Export::new(dir, files)
    }

    /// Every series of the live plots as CSV, after a header recording every parameter.
    pub fn csv(dir: &Path, config: &Config, gamma: f64, view: View<'_>) -> Export {
        let text = csv::figure_csv(config, gamma, &figure(&LIVE_PLOTS, view));
        Export::new(dir, vec![("dln-series.csv".into(), Content::Text(text))])
    }

    /// The sweep figure as `dln-sweep.svg`.
    pub fn sweep(dir: &Path, fig: &Figure) -> Export {
        let files = vec![("dln-sweep.svg".into(), Content::Svg(fig.clone()))];
        Export::new(dir, files)
    }

    /// The problem's X, y, β* and test set as `dln-data.npz`.
    pub fn data(dir: &Path, spec: ProblemSpec) -> Export {
        let files = vec![("dln-data.npz".into(), Content::Npz(Box::new(spec)))];
        Export::new(dir, files)
    }

    /// A screenshot of the window as `dln-window.png`.
    pub fn window(dir: &Path, image: Arc<egui::ColorImage>) -> Export {
        Export::new(dir, vec![("dln-window.png".into(), Content::Window(image))])
    }

    fn new(dir: &Path, files: Vec<(String, Content)>) -> Export {
        Export {
            dir: dir.to_path_buf(),
            files,
        }
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Renders and writes every file, calling `tick` after each; returns the paths written.
    pub fn write(self, tick: impl Fn()) -> Result<Vec<PathBuf>, String> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create {}: {e}", self.dir.display()))?;
        let mut paths = Vec::with_capacity(self.files.len());
        for (name, content) in self.files {
            let path = self.dir.join(name);
            match content {
                Content::Svg(fig) => write(&path, svg::render(&fig).as_bytes())?,
                Content::Png(fig, scale) => write(
                    &path,
                    &png::svg_to_png(&svg::render(&fig), f32::from(scale))?,
                )?,
                Content::Slide(fig, caption, None) => {
                    write(&path, slide::render(&fig, &caption).as_bytes())?
                }
                Content::Slide(fig, caption, Some(scale)) => write(
                    &path,
                    &png::svg_to_png(&slide::render(&fig, &caption), f32::from(scale))?,
                )?,
                Content::Text(text) => write(&path, text.as_bytes())?,
                Content::Window(image) => save_png(&image, &path)?,
                Content::Npz(spec) => crate::data::write(&path, &Problem::generate(&spec))
                    .map_err(|e| e.to_string())?,
            }
            paths.push(path);
            tick();
        }
        Ok(paths)
    }
}

/// Writes `bytes` to `path` atomically (a failed write leaves the old file as it was).
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    crate::platform::save(path, bytes)
}

/// Writes an egui image as PNG.
pub fn save_png(img: &egui::ColorImage, path: &Path) -> Result<(), String> {
    let [w, h] = img.size;
    let bytes: Vec<u8> = img.pixels.iter().flat_map(|c| c.to_array()).collect();
    let buffer = image::RgbaImage::from_raw(w as u32, h as u32, bytes)
        .ok_or_else(|| "screenshot has an inconsistent size".to_string())?;
    let mut png = std::io::Cursor::new(Vec::new());
    (buffer.write_to(&mut png, image::ImageFormat::Png))
        .map_err(|e| format!("cannot encode {}: {e}", path.display()))?;
    write(path, &png.into_inner())
}
