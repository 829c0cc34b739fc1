//! Files shipped inside the binary by name (the scenes, the lessons): their names in menu order,
//! the allowed values of a flag that names one, and lookup.

/// Named TOML texts embedded in the binary, in menu order.
pub struct Shipped(pub &'static [(&'static str, &'static str)]);

impl Shipped {
    /// The names, in menu order.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        self.0.iter().map(|(name, _)| *name)
    }

    /// The allowed values of a flag naming one: a name or a path to a `.toml` file of `kind`.
    pub fn available(&self, kind: &str) -> String {
        format!(
            "one of {} or a path to a .toml {kind} file",
            self.names().collect::<Vec<_>>().join(", ")
        )
    }

    /// Every entry that `parse` (name, text) accepts, in menu order.
    pub fn list<T>(&self, parse: impl Fn(&str, &str) -> Result<T, String>) -> Vec<T> {
        (self.0.iter())
            .filter_map(|(name, text)| parse(name, text).ok())
            .collect()
    }

    /// The entry named `name` (surrounding spaces ignored): its name and text.
    pub fn find(&self, name: &str) -> Option<(&'static str, &'static str)> {
        self.0.iter().find(|(n, _)| *n == name.trim()).copied()
    }
}
