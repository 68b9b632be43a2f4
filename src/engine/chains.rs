//! `--chain`: each run of events of one ticker in which every day 0 lies within the post-event
//! part of the previous event's window becomes one result, over the window from the first
//! day 0 plus the pre-event days to the last day 0 plus the post-event days. CAR windows: from
//! the first to the last day 0, from the first day 0 to the end, and the whole. Chains are
//! reported beside the single events and are not part of the across-event tests.

use super::event::blank_result;
use super::windows::kept_day0;
use super::{Engine, EventContext};
use crate::codes::Day0Rule;
use crate::load::Event;
use crate::model::Design;
use crate::session::Placement;
use crate::summary::EventResult;

impl Engine<'_> {
    /// The chains among the ticker's events `evs`, placed at `placements`.
    pub fn chains(&self, j: &Design, evs: &[&Event], placements: &[Placement], ctx: &EventContext) -> Vec<EventResult> {
        let w1 = self.cfg.method.window.1;
        // Only events whose day 0 was placed and kept (not left out for a gap in the data).
        let mut placed: Vec<(usize, &Event)> =
            evs.iter().zip(placements).filter_map(|(e, p)| kept_day0(&j.dates, p).map(|i| (i, *e))).collect();
        placed.sort_by_key(|(i, e)| (*i, e.line));
        let mut out = Vec::new();
        let mut start = 0;
        for k in 1..=placed.len() {
            if k < placed.len() && placed[k].0 - placed[k - 1].0 <= w1.max(0) as usize {
                continue;
            }
            let members = &placed[start..k];
            start = k;
            let span = (members[members.len() - 1].0 - members[0].0) as i32;
            if members.len() < 2 || span < 1 {
                continue; // a single event, or events sharing one day 0: nothing to chain
            }
            out.push(self.chain(j, members, span, ctx));
        }
        out
    }

    /// One chain of `members` (day-0 rows and events, in order), whose last day 0 is `span`
    /// sessions after the first.
    fn chain(&self, j: &Design, members: &[(usize, &Event)], span: i32, ctx: &EventContext) -> EventResult {
        let (w0, w1) = self.cfg.method.window;
        let (d0, first) = members[0];
        let ids: Vec<String> = members.iter().map(|(_, e)| e.id.clone()).collect();
        let mut r = blank_result(first, ctx.ticker, ctx.simulated);
        r.id = format!("chain:{}", ids.join("+"));
        r.kind = "chain".into();
        r.headline = format!("{} events of {} as one window: {}", ids.len(), ctx.ticker, ids.join(", "));
        r.source.clear();
        r.url.clear();
        r.day0 = Some(crate::summary::iso_string(j.dates[d0]));
        r.day0_rule = Some(Day0Rule::Chain);
        r.day0_reason = Some(format!("day 0 of the first event ({}); the last is at day {span:+}", first.id));
        if self.model.uses_market() {
            r.benchmark = Some(ctx.benchmark.to_string());
        }
        r.overlapping_count = ids.len();
        r.overlapping = ids.iter().take(crate::summary::NEIGHBOURS_LISTED).cloned().collect();
        r.notes.push(format!(
            "chain window [{w0},{}] from day 0 of {} to {} sessions after day 0 of {}; not part of the across-event tests, which use the single events",
            span + w1,
            ids[0],
            w1,
            ids[ids.len() - 1]
        ));
        let mut windows = vec![(0, span), (0, span + w1), (w0, span + w1)];
        windows.dedup();
        self.compute_span(j, r, d0, (w0, span + w1), &windows, &ids, ctx).0
    }
}
