"""The adoption scorecard: A1, A2, A10 and A3 (reference/indicators.md §5; seed 000).

The cohort: children adopted in the three years to 31 March, that is whose period of care
ended with an adoption order (903 reason ceased E11 or E12) in the window. Their
milestones come from the period's ssd_permanence row (`perm_cla_id`; the one placed for
adoption last, if several). Durations are calendar days; the scorecard reports means.

- entering care: the start of the period of care that ended in adoption;
- moving in with the adoptive family: `perm_placed_for_adoption_date`;
- court authority: `perm_placement_order_date` (the SSD holds no freeing order);
- match: `perm_matched_date`;
- adopted by the foster carers (A10): `perm_adopted_by_carer_flag` 'Y'; the day the child
  began living with them is `perm_placed_foster_carer_date`, or, where the extract leaves
  it blank (goldenthread's projection does), the start of the placement that ended the day
  the child was placed for adoption (the foster placement with the same carers).
"""

from __future__ import annotations

from goldenthread.analytics.catalogue import CHILD_BREAKDOWNS, Benchmark, Indicator, register
from goldenthread.analytics.indicators.looked_after import CARE, unit, with_ctes

A1_THRESHOLD_DAYS = 426  # 14 months: DfE's threshold for 2013-16 onwards
A2_THRESHOLD_DAYS = 121  # 4 months

ADOPTED = with_ctes(CARE, """adopted AS (
    SELECT p.period_id, c.cla_id, c.person_id, c.entered, c.ceased AS adopted_on
    FROM care c
    JOIN ssd_cla_episodes e ON e.clae_cla_id = c.cla_id
        AND CAST(e.clae_cla_episode_ceased_date AS DATE) = c.ceased
        AND e.clae_cla_episode_ceased_reason IN ('E11', 'E12')
    JOIN periods p ON c.ceased BETWEEN p.period_start AND p.period_end),
milestones AS (
    SELECT perm_cla_id AS cla_id,
           CAST(perm_placement_order_date AS DATE) AS authority,
           CAST(perm_matched_date AS DATE) AS matched,
           CAST(perm_placed_for_adoption_date AS DATE) AS placed,
           perm_adopted_by_carer_flag AS by_carers,
           CAST(perm_placed_foster_carer_date AS DATE) AS with_carers,
           ROW_NUMBER() OVER (PARTITION BY perm_cla_id
                              ORDER BY perm_placed_for_adoption_date DESC NULLS LAST,
                                       perm_table_id DESC) AS n
    FROM ssd_permanence
    WHERE perm_cla_id IS NOT NULL),
scorecard AS (
    SELECT a.period_id, a.cla_id, a.person_id, a.entered, ms.authority, ms.matched, ms.placed,
           CASE WHEN ms.by_carers = 'Y'
                THEN COALESCE(ms.with_carers,
                              CAST(prior_pl.clap_cla_placement_start_date AS DATE), ms.placed)
                ELSE ms.placed END AS moved_in_a10
    FROM adopted a
    JOIN milestones ms ON ms.cla_id = a.cla_id AND ms.n = 1
    LEFT JOIN ssd_cla_placement prior_pl ON prior_pl.clap_person_id = a.person_id
        AND CAST(prior_pl.clap_cla_placement_end_date AS DATE) = ms.placed)""")

A1_SQL = ADOPTED + f"""
SELECT period_id, person_id, {unit("cla_id", "DATE_DIFF('day', entered, placed)")}
FROM scorecard WHERE placed IS NOT NULL"""

A10_SQL = ADOPTED + f"""
SELECT period_id, person_id, {unit("cla_id", "DATE_DIFF('day', entered, moved_in_a10)")}
FROM scorecard WHERE placed IS NOT NULL"""

# A match made before the court's authority counts as 0 days.
A2_SQL = ADOPTED + f"""
SELECT period_id, person_id,
       {unit("cla_id", "GREATEST(0, DATE_DIFF('day', authority, matched))")}
FROM scorecard
WHERE placed IS NOT NULL AND authority IS NOT NULL AND matched IS NOT NULL"""

A3_SQL = ADOPTED + f"""
SELECT period_id, person_id,
       {unit("cla_id", f"CASE WHEN DATE_DIFF('day', entered, placed) < {A1_THRESHOLD_DAYS} "
                       "THEN 1 ELSE 0 END")}
FROM scorecard WHERE placed IS NOT NULL"""

_SCORECARD = "DfE adoption scorecard (methodology, March 2019); LG Inform metric 912 (A2)"
_THRESHOLD = "DfE adoption scorecard threshold for the 3 years 2013-16 onwards"
_COHORT = ("children adopted in the three years to 31 March (care ended with an adoption "
           "order, 903 E11 or E12)")

register(
    Indicator(
        id="ADOPTION-A1",
        title="A1: days from entering care to moving in with the adoptive family",
        definition=f"For {_COHORT} whose placement for adoption is recorded, the mean number "
                   "of calendar days from the start of the period of care that ended in "
                   "adoption to the day the child was placed for adoption.",
        source=_SCORECARD, unit="mean", higher_is_better=False,
        period="three_years_to_31_march", counts="children", sql=A1_SQL,
        breakdowns=CHILD_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2015-18", 486),
                    Benchmark("threshold", "2013-16", A1_THRESHOLD_DAYS)),
        target=A1_THRESHOLD_DAYS, target_source=_THRESHOLD),
    Indicator(
        id="ADOPTION-A10",
        title="A10: days from entering care to moving in with the adoptive family, "
              "adjusted for foster carer adoptions",
        definition="As A1, but where the child was adopted by their foster carers the end "
                   "is the day the child began living with them (perm_placed_foster_carer_date, "
                   "or else the start of the foster placement that ended when the child was "
                   "placed for adoption).",
        source=_SCORECARD, unit="mean", higher_is_better=False,
        period="three_years_to_31_march", counts="children", sql=A10_SQL,
        breakdowns=CHILD_BREAKDOWNS,
        benchmarks=(Benchmark("threshold", "2013-16", A1_THRESHOLD_DAYS),),
        target=A1_THRESHOLD_DAYS, target_source=_THRESHOLD),
    Indicator(
        id="ADOPTION-A2",
        title="A2: days from court authority to place to the match with an adoptive family",
        definition=f"For {_COHORT} who were placed for adoption and had a placement order, "
                   "the mean number of calendar days from the placement order to the match; "
                   "a match made before the order counts as 0 days. Children with no "
                   "placement order or match recorded are left out.",
        source=_SCORECARD, unit="mean", higher_is_better=False,
        period="three_years_to_31_march", counts="children", sql=A2_SQL,
        breakdowns=CHILD_BREAKDOWNS,
        benchmarks=(Benchmark("threshold", "2013-16", A2_THRESHOLD_DAYS),),
        target=A2_THRESHOLD_DAYS, target_source=_THRESHOLD),
    Indicator(
        id="ADOPTION-A3",
        title="A3: adopted children who moved in with their adoptive family within 14 months",
        definition=f"Of {_COHORT} whose placement for adoption is recorded, the share "
                   f"placed fewer than {A1_THRESHOLD_DAYS} calendar days (14 months) after "
                   "entering care.",
        source=_SCORECARD, unit="percent", higher_is_better=True,
        period="three_years_to_31_march", counts="children", sql=A3_SQL,
        breakdowns=CHILD_BREAKDOWNS),
)
