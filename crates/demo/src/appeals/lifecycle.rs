//! How far each appeal has come by `now`: acceptance, hand-off or transfer, reply,
//! closure and rating, reopening, supervision and pending requests.

use police_square_domain::{AppealKind, Millis, Satisfaction, Status};
use police_square_store::Id;
use rand::Rng;

use super::{weighted, Generated, Generator, HandoffPlan, History, RequestPlan, DAY, HOUR, MINUTE};
use crate::corpus::{Scenario, Target};
use crate::replies;
use crate::texts::pick;

impl Generator {
    /// Decide how far the appeal has come by `now` and fill in its history.
    pub(super) fn live(
        &mut self,
        g: &mut Generated,
        s: &'static Scenario,
        handler: Option<Id>,
        district: usize,
    ) {
        let rng = &mut self.rng;
        let now = self.now;
        let age = now - g.received_at;
        let unit_name = self.org.tree.name_of(g.unit_id);
        let mut status = pick_status(rng, s, age);
        if status == Status::Transferred && s.dept.is_none() && s.target != Target::Station {
            // Complaints about officers and mailbox matters stay with their office.
            status = Status::InProgress;
        }
        let h = &mut g.history;
        if status == Status::Rejected {
            let replied = clamp_past(
                g.received_at + rng.gen_range(HOUR..2 * DAY),
                g.received_at,
                now,
                rng,
            );
            h.replied_at = Some(replied);
            h.closed_at = Some(replied);
            h.reply_text = Some(replies::rejected(rng));
            g.status = status;
            return;
        }
        if status == Status::Received {
            g.status = status;
            self.supervise(g);
            return;
        }
        // Accepted (首接): mostly within the acceptance deadline.
        let accept_window = (g.accept_by - g.received_at).max(5 * MINUTE);
        let accepted = if rng.gen_bool(0.87) {
            g.received_at + rng.gen_range(MINUTE..accept_window.max(MINUTE + 1))
        } else {
            g.accept_by + rng.gen_range(30 * MINUTE..2 * DAY)
        };
        let accepted = clamp_past(accepted, g.received_at, now, rng);
        h.accepted_at = Some(accepted);
        if status != Status::Accepted {
            h.assignee_id = handler;
        }

        match status {
            Status::Accepted | Status::InProgress => {}
            Status::Transferred => {
                if let Some(dept) = s.dept {
                    let sent =
                        clamp_past(accepted + rng.gen_range(HOUR..2 * DAY), accepted, now, rng);
                    let ack = sent + rng.gen_range(HOUR..3 * DAY);
                    g.handoff = Some(HandoffPlan {
                        department_id: self.org.departments[dept.index()],
                        department: dept,
                        sent_at: sent,
                        acknowledged_at: (ack < now && rng.gen_bool(0.8)).then_some(ack),
                    });
                } else {
                    // 转办 to a neighbouring police unit, which has yet to accept it.
                    let d = &self.org.tree.districts[district];
                    let others: Vec<Id> = d
                        .stations
                        .iter()
                        .map(|u| u.id)
                        .filter(|id| *id != g.unit_id)
                        .collect();
                    if let Some(to) = others.get(rng.gen_range(0..others.len().max(1))) {
                        g.unit_id = *to;
                        g.subject_unit_id = None;
                    }
                    h.assignee_id = None;
                }
            }
            _ => {
                // Replied, perhaps closed and rated, perhaps reopened.
                let span = (g.due_at - accepted).max(HOUR);
                let replied = if rng.gen_bool(0.88) {
                    accepted + (span as f64 * rng.gen_range(0.05..1.0)) as Millis
                } else {
                    g.due_at + rng.gen_range(2 * HOUR..6 * DAY)
                };
                let replied = clamp_past(replied, accepted, now, rng);
                h.replied_at = Some(replied);
                h.reply_text = Some(match s.dept {
                    Some(dept) => replies::handed_off(s, dept.info().0, rng),
                    None => replies::reply(s, unit_name, rng),
                });
                let mut status = status;
                if status != Status::Replied {
                    let closed = replied + rng.gen_range(2 * HOUR..7 * DAY);
                    if closed >= now {
                        status = Status::Replied;
                    } else {
                        h.closed_at = Some(closed);
                        if rng.gen_bool(0.85) {
                            let sat = satisfaction(rng, s);
                            let resolved = match sat {
                                Satisfaction::Satisfied => rng.gen_bool(0.95),
                                Satisfaction::Basic => rng.gen_bool(0.7),
                                Satisfaction::Unsatisfied => rng.gen_bool(0.2),
                            };
                            h.rating = Some((resolved, sat, closed));
                            if sat == Satisfaction::Unsatisfied {
                                status =
                                    self_reopen(rng, g.received_at, now, h, &mut g.request, status);
                            }
                        }
                    }
                }
                g.status = status;
                self.supervise(g);
                return;
            }
        }
        g.status = status;
        self.supervise(g);
    }

    /// Supervision (督办) of cases near or past their deadline, and extension requests.
    fn supervise(&mut self, g: &mut Generated) {
        let rng = &mut self.rng;
        let now = self.now;
        let h = &mut g.history;
        if g.status.is_open() {
            if now > g.due_at {
                let late = now - g.due_at;
                h.supervision_level = match rng.gen_range(0..10) {
                    0 => 0,
                    1..=5 => 1,
                    _ if late > 2 * DAY => 2,
                    _ => 1,
                };
            } else if g.due_at - now < DAY && rng.gen_bool(0.3) {
                h.supervision_level = 1;
            }
            if g.request.is_none()
                && matches!(g.status, Status::InProgress | Status::Reopened)
                && g.due_at - now < 3 * DAY
                && rng.gen_bool(0.15)
            {
                let at = clamp_past(
                    g.due_at - rng.gen_range(HOUR..2 * DAY),
                    g.received_at,
                    now,
                    rng,
                );
                g.request = Some(RequestPlan::Extension {
                    at,
                    days: pick(rng, &[3, 5, 7]),
                });
            }
        } else if let Some(replied) = h.replied_at {
            if replied > g.due_at {
                h.supervision_level = match rng.gen_range(0..10) {
                    0..=4 => 0,
                    5..=8 => 1,
                    _ => 2,
                };
            }
        }
    }
}

/// After an unsatisfied rating: recent cases often await review or are reopened (重办);
/// older ones were reopened, answered again and closed.
fn self_reopen(
    rng: &mut impl Rng,
    received_at: Millis,
    now: Millis,
    h: &mut History,
    request: &mut Option<RequestPlan>,
    status: Status,
) -> Status {
    let (_, _, rated_at) = h.rating.expect("rated");
    let age = now - received_at;
    let x = rng.gen_range(0..10);
    let recent = age < 25 * DAY;
    match x {
        0..=3 if recent => {
            // Reopened and being handled again.
            h.reopen_count = 1;
            h.closed_at = None;
            Status::Reopened
        }
        4..=6 if recent => {
            *request = Some(RequestPlan::Review {
                at: rated_at + rng.gen_range(MINUTE..HOUR),
            });
            status
        }
        _ if !recent && x < 5 => {
            // Reopened, replied again, rated again.
            h.reopen_count = 1;
            let again = rated_at + rng.gen_range(DAY..8 * DAY);
            if again < now {
                let sat = if rng.gen_bool(0.7) {
                    Satisfaction::Basic
                } else {
                    Satisfaction::Satisfied
                };
                h.replied_at = Some(again - rng.gen_range(HOUR..DAY));
                h.closed_at = Some(again);
                h.rating = Some((true, sat, again));
            }
            status
        }
        _ => status,
    }
}

/// A time not later than `now` (and after `after`): squeezes times of recent cases.
fn clamp_past(t: Millis, after: Millis, now: Millis, rng: &mut impl Rng) -> Millis {
    if t < now {
        t
    } else {
        after + ((now - after) as f64 * rng.gen_range(0.2..0.9)) as Millis
    }
}

fn satisfaction(rng: &mut impl Rng, s: &Scenario) -> Satisfaction {
    let unsatisfied = match (s.kind, s.category) {
        (AppealKind::Praise, _) => 0.0,
        (_, "conduct") => 0.25,
        (_, "theft" | "fraud") => 0.12,
        (AppealKind::Consultation | AppealKind::Suggestion, _) => 0.04,
        _ => 0.08,
    };
    let x: f64 = rng.gen();
    if x < unsatisfied {
        Satisfaction::Unsatisfied
    } else if x < unsatisfied + 0.16 {
        Satisfaction::Basic
    } else {
        Satisfaction::Satisfied
    }
}

/// The status an appeal of this age has reached, with realistic odds.
fn pick_status(rng: &mut impl Rng, s: &Scenario, age: Millis) -> Status {
    use Status::*;
    let table: &[(Status, u32)] = if s.emergency {
        if age < 2 * HOUR {
            &[(Accepted, 30), (InProgress, 70)]
        } else {
            &[(Closed, 85), (Replied, 15)]
        }
    } else if s.kind == AppealKind::Praise {
        if age < DAY {
            &[(Received, 50), (Accepted, 30), (Replied, 20)]
        } else {
            &[(Closed, 85), (Replied, 10), (InProgress, 5)]
        }
    } else if s.dept.is_some() {
        if age < DAY {
            &[(Received, 40), (Accepted, 35), (Transferred, 25)]
        } else if age < 30 * DAY {
            &[
                (Transferred, 60),
                (Replied, 15),
                (Closed, 20),
                (Rejected, 5),
            ]
        } else {
            &[(Transferred, 35), (Closed, 60), (Rejected, 5)]
        }
    } else if age < DAY {
        &[
            (Received, 45),
            (Accepted, 28),
            (InProgress, 22),
            (Transferred, 3),
            (Rejected, 2),
        ]
    } else if age < 7 * DAY {
        &[
            (Received, 5),
            (Accepted, 12),
            (InProgress, 33),
            (Replied, 25),
            (Closed, 17),
            (Transferred, 5),
            (Rejected, 3),
        ]
    } else if age < 30 * DAY {
        &[
            (Received, 1),
            (Accepted, 2),
            (InProgress, 10),
            (Replied, 10),
            (Closed, 70),
            (Transferred, 3),
            (Rejected, 4),
        ]
    } else {
        &[
            (InProgress, 2),
            (Replied, 1),
            (Closed, 90),
            (Transferred, 2),
            (Rejected, 5),
        ]
    };
    weighted(rng, table)
}
