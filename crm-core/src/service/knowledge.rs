//! The knowledge base: articles (title, body, tags, products, status).
//!
//! Published articles are searched with every other record ([`crate::search`]): the
//! store's full-text index, kept in step with every write, ranked by BM25 with the title
//! weighing three times, the tags twice, the body and products once.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Problems, Result};
use crate::id::ArticleId;
use crate::store::{EntityKind, impl_entity};

use crate::lead::text_enum;

text_enum!(
    /// Where an article is in its life.
    ArticleStatus, "article status", {
        /// Being written; not searchable.
        Draft => "draft",
        /// Visible and searchable.
        Published => "published",
        /// Withdrawn; not searchable.
        Archived => "archived",
    }
);

/// What an article says.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleContent {
    /// Its title.
    pub title: String,
    /// Its text.
    pub body: String,
    /// Tags.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tags: Vec<String>,
    /// Products (SKUs) it is about.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub products: Vec<String>,
}

impl ArticleContent {
    /// Checks the content.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] listing every problem.
    pub fn check(&self) -> Result<()> {
        let mut p = Problems::new();
        if self.title.trim().is_empty() {
            p.push("title", "an article needs a title");
        }
        if self.body.trim().is_empty() {
            p.push("body", "an article needs a body");
        }
        p.finish(())
    }
}

/// A change to an article: the fields given replace the article's, the rest stay.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleChange {
    /// A new title.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub title: Option<String>,
    /// A new body.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub body: Option<String>,
    /// New tags.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tags: Option<Vec<String>>,
    /// New products.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub products: Option<Vec<String>>,
    /// A new status.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub status: Option<ArticleStatus>,
}

impl ArticleChange {
    /// Applies the change to `article` and checks the content that results.
    ///
    /// # Errors
    /// [`crate::Error::Validation`] when the result has no title or body (the article is
    /// then unchanged).
    pub fn apply(self, article: &mut Article) -> Result<()> {
        let mut content = article.content.clone();
        if let Some(t) = self.title {
            content.title = t;
        }
        if let Some(b) = self.body {
            content.body = b;
        }
        if let Some(t) = self.tags {
            content.tags = t;
        }
        if let Some(p) = self.products {
            content.products = p;
        }
        content.check()?;
        article.content = content;
        if let Some(s) = self.status {
            article.status = s;
        }
        Ok(())
    }
}

/// A knowledge-base article.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Its id.
    pub id: ArticleId,
    /// Its version.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub version: crate::id::Version,
    /// What it says.
    #[serde(flatten)]
    pub content: ArticleContent,
    /// Where it is.
    pub status: ArticleStatus,
    /// When it last changed.
    #[serde(with = "crate::time::rfc3339")]
    #[cfg_attr(feature = "schema", schemars(with = "chrono::DateTime<chrono::Utc>"))]
    pub updated_at: DateTime<Utc>,
}

impl_entity!(Article, ArticleId, EntityKind::Article, |a| [
    Some(a.status.to_string()),
    None,
    None,
    None,
    None,
    None
]);

/// A search result.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// The article.
    pub article: ArticleId,
    /// Its title.
    pub title: String,
    /// Its BM25 score (higher is better).
    pub score: f32,
}

/// Narrows a search.
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchFilter {
    /// Only articles with this tag.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub tag: Option<String>,
    /// Only articles about this product.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub product: Option<String>,
}
