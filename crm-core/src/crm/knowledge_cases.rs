//! The knowledge base on the store: articles written, changed and published, and searched
//! with every other record (BM25).

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::event::DomainEvent;
use crate::id::ArticleId;
use crate::service::knowledge::{ArticleChange, SearchFilter, SearchHit};
use crate::service::{Article, ArticleContent, ArticleStatus};
use crate::store::{EntityKind, ReadExt, RecordId, Store, WriteExt};

use super::Crm;

impl<S: Store> Crm<S> {
    /// Writes a new article with a status (published articles are searchable at once).
    ///
    /// # Errors
    /// [`Error::Validation`]; [`Error::Storage`].
    pub fn write_article(
        &self,
        content: ArticleContent,
        status: ArticleStatus,
        now: DateTime<Utc>,
    ) -> Result<Article> {
        content.check()?;
        self.write(|tx| {
            let a = tx.insert(|id: ArticleId| Article {
                id,
                version: crate::id::Version::NEW,
                content,
                status,
                updated_at: now,
            })?;
            tx.emit(
                &DomainEvent::ArticleSaved {
                    article: a.id,
                    status: status.to_string(),
                },
                now,
            )?;
            Ok(a)
        })
    }

    /// Changes an article: the fields `change` gives replace the article's, in one
    /// transaction under the article's version.
    ///
    /// # Errors
    /// [`Error::Validation`] when the result has no title or body; [`Error::NotFound`];
    /// [`Error::Storage`].
    pub fn update_article(
        &self,
        id: ArticleId,
        change: ArticleChange,
        now: DateTime<Utc>,
    ) -> Result<Article> {
        self.write(|tx| {
            let mut a: Article = tx.load(id)?;
            change.apply(&mut a)?;
            a.updated_at = now;
            tx.update(&mut a)?;
            tx.emit(
                &DomainEvent::ArticleSaved {
                    article: id,
                    status: a.status.to_string(),
                },
                now,
            )?;
            Ok(a)
        })
    }

    /// An article.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Storage`].
    pub fn article(&self, id: ArticleId) -> Result<Article> {
        self.read(|tx| tx.load(id))
    }

    /// The best `k` published articles for `query`, ranked by BM25 in the store's
    /// full-text index ([`crate::search`]): articles holding every word first, then those
    /// holding some; narrowed to a tag or a product when the filter says.
    ///
    /// # Errors
    /// [`Error::Storage`]; [`Error::Corrupt`].
    pub fn search_articles(
        &self,
        query: &str,
        filter: &SearchFilter,
        k: usize,
    ) -> Result<Vec<SearchHit>> {
        let k = k.min(crate::search::SEARCH_MAX);
        if k == 0 {
            return Ok(Vec::new());
        }
        let tag = filter.tag.as_ref().map(|t| t.trim().to_lowercase());
        let product = filter.product.as_ref().map(|p| p.trim());
        let narrowed = tag.is_some() || product.is_some();
        let fetch = if narrowed {
            crate::search::SEARCH_MAX
        } else {
            k
        };
        let hits = self.search_hits(query, vec![EntityKind::Article], fetch)?;
        self.read(|tx| {
            let mut out = Vec::with_capacity(k);
            for h in hits {
                if out.len() == k {
                    break;
                }
                let id = ArticleId::from_raw(h.id);
                if narrowed {
                    let a: Article = tx.load(id)?;
                    let c = &a.content;
                    if tag
                        .as_ref()
                        .is_some_and(|t| !c.tags.iter().any(|x| x.trim().to_lowercase() == *t))
                        || product.is_some_and(|p| !c.products.iter().any(|x| x == p))
                    {
                        continue;
                    }
                }
                out.push(SearchHit {
                    article: id,
                    title: h.texts.first().cloned().unwrap_or_default(),
                    score: h.score as f32,
                });
            }
            Ok(out)
        })
    }
}
