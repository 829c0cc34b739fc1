//! The method set that, with the one validated scene type [`Settings`], defines paired runs.

use crate::model::MethodKind;
#[cfg(doc)]
use crate::model::Settings;

/// Which methods run on a scene, all on the same data, initialisation and γ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodSet([bool; MethodKind::ALL.len()]);

impl Default for MethodSet {
    /// GD, SGD and SGF (gradient flow is slow and optional).
    fn default() -> Self {
        MethodSet::of(&[MethodKind::Gd, MethodKind::Sgd, MethodKind::Sgf])
    }
}

impl MethodSet {
    /// Exactly these methods.
    pub fn of(kinds: &[MethodKind]) -> MethodSet {
        let mut set = MethodSet([false; MethodKind::ALL.len()]);
        for &k in kinds {
            set.set(k, true);
        }
        set
    }

    /// Whether `kind` runs.
    pub fn contains(self, kind: MethodKind) -> bool {
        self.0[kind as usize]
    }

    /// Turns `kind` on or off.
    pub fn set(&mut self, kind: MethodKind, on: bool) {
        self.0[kind as usize] = on;
    }

    /// The methods that run, in display order.
    pub fn iter(self) -> impl Iterator<Item = MethodKind> {
        MethodKind::ALL
            .into_iter()
            .filter(move |k| self.contains(*k))
    }

    /// The on/off flags, indexed like [`MethodKind::ALL`] (for checkbox rows).
    pub fn flags_mut(&mut self) -> &mut [bool; MethodKind::ALL.len()] {
        &mut self.0
    }
}
