//! The three rates (三率) and companion figures, from counts the storage layer aggregates.

use serde::{Deserialize, Serialize};

/// Raw counts for one unit (and its sub-units) over one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateCounts {
    /// Appeals received in the period (rejected ones excluded).
    pub total: i64,
    /// Accepted within the acceptance deadline.
    pub responded_on_time: i64,
    /// Replied (any time).
    pub replied: i64,
    /// Replied by the due time.
    pub replied_on_time: i64,
    /// With a resident rating.
    pub rated: i64,
    pub resolved: i64,
    pub satisfied: i64,
    pub basic: i64,
    /// Open past due, or replied late.
    pub overdue: i64,
    /// Reopened (重办) at least once.
    pub reopened: i64,
}

impl std::ops::Add for RateCounts {
    type Output = RateCounts;
    fn add(self, o: RateCounts) -> RateCounts {
        RateCounts {
            total: self.total + o.total,
            responded_on_time: self.responded_on_time + o.responded_on_time,
            replied: self.replied + o.replied,
            replied_on_time: self.replied_on_time + o.replied_on_time,
            rated: self.rated + o.rated,
            resolved: self.resolved + o.resolved,
            satisfied: self.satisfied + o.satisfied,
            basic: self.basic + o.basic,
            overdue: self.overdue + o.overdue,
            reopened: self.reopened + o.reopened,
        }
    }
}

/// A rate with the number of cases behind it; `value` is `None` when nothing was counted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub value: Option<f64>,
    pub numerator: i64,
    pub denominator: i64,
}

impl Rate {
    pub fn of(numerator: i64, denominator: i64) -> Self {
        let value = (denominator > 0).then(|| numerator as f64 / denominator as f64);
        Self {
            value,
            numerator,
            denominator,
        }
    }

    pub fn percent(&self) -> Option<f64> {
        self.value.map(|v| (v * 1000.0).round() / 10.0)
    }
}

/// Weights of the composite score and how "basically satisfied" counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateWeights {
    pub response: f64,
    pub resolution: f64,
    pub satisfaction: f64,
    /// Share of a 基本满意 that counts as satisfied.
    pub basic_counts_as: f64,
    /// Fewest rated cases on which a unit is ranked: below it the unit's rates are
    /// shown as 样本不足 and it takes no place (a unit is not ranked second on one
    /// rated case).
    #[serde(default = "default_min_rated")]
    pub min_rated: i64,
}

fn default_min_rated() -> i64 {
    10
}

impl RateWeights {
    /// Whether `counts` rest on enough rated cases to rank the unit.
    pub fn enough_sample(&self, counts: &RateCounts) -> bool {
        counts.rated >= self.min_rated.max(1)
    }
}

/// Ranks (1 = best composite) of units given as (rates, counts), in the order given.
/// A unit without a composite or below the minimum sample gets `None` and takes no
/// place; ties in the composite are broken by the larger sample.
pub fn rank_by_composite(units: &[(&Rates, &RateCounts)], w: &RateWeights) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..units.len())
        .filter(|&i| units[i].0.composite.is_some() && w.enough_sample(units[i].1))
        .collect();
    order.sort_by(|&a, &b| {
        let score = |i: usize| units[i].0.composite.unwrap_or(f64::NEG_INFINITY);
        score(b)
            .total_cmp(&score(a))
            .then(units[b].1.rated.cmp(&units[a].1.rated))
            .then(a.cmp(&b))
    });
    let mut ranks = vec![None; units.len()];
    for (place, i) in order.into_iter().enumerate() {
        ranks[i] = Some(place + 1);
    }
    ranks
}

impl Default for RateWeights {
    /// Beijing 12345 practice: 10% response, 45% resolution, 45% satisfaction.
    fn default() -> Self {
        Self {
            response: 0.10,
            resolution: 0.45,
            satisfaction: 0.45,
            basic_counts_as: 1.0,
            min_rated: default_min_rated(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rates {
    /// 响应率
    pub response: Rate,
    /// 解决率
    pub resolution: Rate,
    /// 满意率
    pub satisfaction: Rate,
    pub on_time_closure: Rate,
    pub reopen: Rate,
    pub overdue: i64,
    pub total: i64,
    /// Weighted composite in 0..=100, `None` until every part has data.
    pub composite: Option<f64>,
}

impl Rates {
    pub fn from_counts(c: &RateCounts, w: &RateWeights) -> Self {
        let response = Rate::of(c.responded_on_time, c.total);
        let resolution = Rate::of(c.resolved, c.rated);
        // Weighted numerator rounds down so the count behind the figure stays honest.
        let satisfied = c.satisfied + (c.basic as f64 * w.basic_counts_as).floor() as i64;
        let satisfaction = Rate::of(satisfied, c.rated);
        let composite = match (response.value, resolution.value, satisfaction.value) {
            (Some(a), Some(b), Some(s)) => {
                let sum = w.response + w.resolution + w.satisfaction;
                Some(100.0 * (a * w.response + b * w.resolution + s * w.satisfaction) / sum)
            }
            _ => None,
        };
        Self {
            response,
            resolution,
            satisfaction,
            on_time_closure: Rate::of(c.replied_on_time, c.replied),
            reopen: Rate::of(c.reopened, c.replied),
            overdue: c.overdue,
            total: c.total,
            composite,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_carry_their_counts() {
        let c = RateCounts {
            total: 10,
            responded_on_time: 9,
            replied: 8,
            replied_on_time: 6,
            rated: 5,
            resolved: 4,
            satisfied: 2,
            basic: 2,
            overdue: 3,
            reopened: 1,
        };
        let r = Rates::from_counts(&c, &RateWeights::default());
        assert_eq!(r.response.value, Some(0.9));
        assert_eq!(r.resolution.numerator, 4);
        assert_eq!(r.satisfaction.value, Some(0.8));
        assert_eq!(r.on_time_closure.percent(), Some(75.0));
        let expected = 100.0 * (0.9 * 0.10 + 0.8 * 0.45 + 0.8 * 0.45);
        assert!((r.composite.unwrap() - expected).abs() < 1e-9);
    }

    #[test]
    fn empty_units_have_no_rates_rather_than_zero() {
        let r = Rates::from_counts(&RateCounts::default(), &RateWeights::default());
        assert_eq!(r.response.value, None);
        assert_eq!(r.composite, None);
    }

    #[test]
    fn units_below_the_minimum_sample_take_no_place_in_the_ranking() {
        let w = RateWeights {
            min_rated: 5,
            ..Default::default()
        };
        let counts = |rated: i64, good: i64| RateCounts {
            total: rated,
            responded_on_time: rated,
            rated,
            resolved: good,
            satisfied: good,
            ..Default::default()
        };
        // One perfect rated case, a strong unit on 20, a weaker one on 8.
        let c = [counts(1, 1), counts(20, 18), counts(8, 5), counts(0, 0)];
        let r: Vec<Rates> = c.iter().map(|c| Rates::from_counts(c, &w)).collect();
        let units: Vec<(&Rates, &RateCounts)> = r.iter().zip(c.iter()).collect();
        assert_eq!(
            rank_by_composite(&units, &w),
            vec![None, Some(1), Some(2), None]
        );
        assert!(!w.enough_sample(&c[0]));
        // Older settings without the field get the default minimum.
        let old: RateWeights = serde_json::from_str(
            r#"{"response":0.1,"resolution":0.45,"satisfaction":0.45,"basic_counts_as":1.0}"#,
        )
        .unwrap();
        assert_eq!(old.min_rated, 10);
    }

    #[test]
    fn counts_roll_up_by_addition() {
        let a = RateCounts {
            total: 1,
            rated: 1,
            ..Default::default()
        };
        assert_eq!((a + a).total, 2);
        assert_eq!((a + a).rated, 2);
    }
}
