//! A report's departments or sites. A report read from a snapshot holds them; a report of the
//! build counts them from the build's metrics when they are asked for, so a build of thousands
//! of departments and sites never holds every one of every report at once. The site pins a
//! report's lists while its pages are made (each counted once) and releases them after.

use super::values::{Complaints, Metrics, Satisfaction, Trend};
use super::{EntityMetrics, MetricsSet};
use crate::metrics::Entity;
use crate::period::Period;
use rayon::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::{Arc, Mutex};

/// Departments or sites (项目).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityKind {
    Department,
    Site,
}

/// A whole list, as [`Entities::list`] gives it: shared, so a pinned list is handed out
/// without copying.
pub type EntityList = Arc<Vec<EntityMetrics>>;

/// The departments or sites of one report, in display order.
pub struct Entities(Source);

enum Source {
    Held(EntityList),
    Counted(Counted),
}

/// The members of a report's list, counted from the build's metrics on demand.
struct Counted {
    set: Arc<MetricsSet>,
    kind: EntityKind,
    period: Period,
    /// Places in the set's list of this kind: the ones with something to say in the period.
    members: Box<[u32]>,
    pinned: Mutex<Option<EntityList>>,
}

impl Counted {
    fn count(&self, at: usize) -> EntityMetrics {
        (self.set).entity_metrics(self.kind, self.members[at] as usize, self.period)
    }

    fn pinned(&self) -> Option<EntityList> {
        // A poisoned lock held a whole `Option`: its value is as good as before.
        self.pinned
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_pinned(&self, list: Option<EntityList>) {
        *self.pinned.lock().unwrap_or_else(|e| e.into_inner()) = list;
    }
}

/// One department or site of a list: a place in a shared list, or counted on its own.
pub enum Found {
    In(EntityList, usize),
    Own(Box<EntityMetrics>),
}

impl std::ops::Deref for Found {
    type Target = EntityMetrics;

    fn deref(&self) -> &EntityMetrics {
        match self {
            Found::In(list, at) => &list[*at],
            Found::Own(e) => e,
        }
    }
}

impl Entities {
    pub fn held(list: Vec<EntityMetrics>) -> Entities {
        Entities(Source::Held(Arc::new(list)))
    }

    pub(super) fn counted(
        set: &Arc<MetricsSet>,
        kind: EntityKind,
        period: Period,
        members: Vec<u32>,
    ) -> Entities {
        Entities(Source::Counted(Counted {
            set: Arc::clone(set),
            kind,
            period,
            members: members.into_boxed_slice(),
            pinned: Mutex::new(None),
        }))
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Source::Held(list) => list.len(),
            Source::Counted(c) => c.members.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name and slug of the one at `at` (`at < len()`), without counting it.
    pub fn entity(&self, at: usize) -> &Entity {
        match &self.0 {
            Source::Held(list) => &list[at].entity,
            Source::Counted(c) => c.set.entity(c.kind, c.members[at] as usize),
        }
    }

    /// Names and slugs in display order, without counting any.
    pub fn names(&self) -> impl ExactSizeIterator<Item = &Entity> + Clone + '_ {
        (0..self.len()).map(|at| self.entity(at))
    }

    /// Every one, with its numbers: the pinned list, or one counted now (in parallel) and
    /// dropped with the last handle to it.
    pub fn list(&self) -> EntityList {
        self.listed(true)
    }

    fn listed(&self, in_parallel: bool) -> EntityList {
        match &self.0 {
            Source::Held(list) => Arc::clone(list),
            Source::Counted(c) => c.pinned().unwrap_or_else(|| {
                let places = 0..c.members.len();
                Arc::new(if in_parallel {
                    places.into_par_iter().map(|at| c.count(at)).collect()
                } else {
                    places.map(|at| c.count(at)).collect()
                })
            }),
        }
    }

    /// The one at `at` with its numbers; only that one is counted unless the list is pinned.
    pub fn get(&self, at: usize) -> Option<Found> {
        if at >= self.len() {
            return None;
        }
        Some(match &self.0 {
            Source::Held(list) => Found::In(Arc::clone(list), at),
            Source::Counted(c) => match c.pinned() {
                Some(list) => Found::In(list, at),
                None => Found::Own(Box::new(c.count(at))),
            },
        })
    }

    /// The satisfaction numbers of the one at `at`, for a trend: a counted one's from its
    /// counters alone, cheaper than [`get`](Self::get).
    pub fn satisfaction(&self, at: usize) -> Option<Satisfaction> {
        if at >= self.len() {
            return None;
        }
        Some(match &self.0 {
            Source::Held(list) => list[at].metrics.satisfaction.clone(),
            Source::Counted(c) => match c.pinned() {
                Some(list) => list[at].metrics.satisfaction.clone(),
                None => (c.set).entity_satisfaction(c.kind, c.members[at] as usize, c.period),
            },
        })
    }

    /// The numbers of the one at `at` that its counters give, for a table of many periods:
    /// visits, satisfaction, complaints and rectification as [`get`](Self::get) has them, but
    /// no comments, trend, coverage or households. A counted one's cost is its buckets' counters
    /// alone, cheaper than [`get`](Self::get).
    pub fn headline(&self, at: usize) -> Option<Metrics> {
        if at >= self.len() {
            return None;
        }
        let held = |list: &EntityList| {
            let m = &list[at].metrics;
            Metrics {
                visits: m.visits.clone(),
                satisfaction: m.satisfaction.clone(),
                complaints: Complaints {
                    recent_comments: Vec::new(),
                    ..m.complaints.clone()
                },
                rectification: m.rectification.clone(),
                trend: Trend::default(),
                coverage: None,
                households: None,
            }
        };
        Some(match &self.0 {
            Source::Held(list) => held(list),
            Source::Counted(c) => match c.pinned() {
                Some(list) => held(&list),
                None => (c.set).entity_headline(c.kind, c.members[at] as usize, c.period),
            },
        })
    }

    /// Counts the list once and keeps it until [`release`](Self::release): for the pages and
    /// files of one report, which read it many times.
    pub fn pin(&self) {
        self.pin_counted(true);
    }

    /// [`pin`](Self::pin), counted on this thread alone: where reports are already taken one
    /// per core, a count in parallel lets a core that waits on it take up another report,
    /// whose lists it then holds too.
    pub fn pin_here(&self) {
        self.pin_counted(false);
    }

    fn pin_counted(&self, in_parallel: bool) {
        if let Source::Counted(c) = &self.0
            && c.pinned().is_none()
        {
            c.set_pinned(Some(self.listed(in_parallel)));
        }
    }

    /// Drops what [`pin`](Self::pin) kept (handles given out keep their list).
    pub fn release(&self) {
        if let Source::Counted(c) = &self.0 {
            c.set_pinned(None);
        }
    }

    /// The list to change in place: a counted one is counted and held from then on.
    pub fn make_mut(&mut self) -> &mut Vec<EntityMetrics> {
        if let Source::Counted(_) = &self.0 {
            let list = self.list();
            self.0 = Source::Held(list);
        }
        match &mut self.0 {
            Source::Held(list) => Arc::make_mut(list),
            Source::Counted(_) => unreachable!("made held just above"),
        }
    }
}

impl From<Vec<EntityMetrics>> for Entities {
    fn from(list: Vec<EntityMetrics>) -> Entities {
        Entities::held(list)
    }
}

/// A clone shares the pinned list, if there is one, and keeps it past the original's
/// [`release`](Entities::release): a report cloned to be written as it will be shown is
/// not counted again.
impl Clone for Entities {
    fn clone(&self) -> Entities {
        Entities(match &self.0 {
            Source::Held(list) => Source::Held(Arc::clone(list)),
            Source::Counted(c) => Source::Counted(Counted {
                set: Arc::clone(&c.set),
                members: c.members.clone(),
                pinned: Mutex::new(c.pinned()),
                ..*c
            }),
        })
    }
}

impl PartialEq for Entities {
    fn eq(&self, other: &Entities) -> bool {
        self.len() == other.len() && *self.list() == *other.list()
    }
}

impl std::fmt::Debug for Entities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.list().iter()).finish()
    }
}

impl Serialize for Entities {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.list().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Entities {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Entities, D::Error> {
        Vec::deserialize(deserializer).map(Entities::held)
    }
}
