"""The records model. Import models from here; each area has its own module."""

from goldenthread.records.models.authority import ChildPopulation, LocalAuthority
from goldenthread.records.models.careleavers import CareLeaver, CareLeaverContact, PathwayPlan
from goldenthread.records.models.casework import CaseNote, ChronologyEntry, Supervision
from goldenthread.records.models.cin import (
    Assessment,
    AssessmentFactor,
    CINPlan,
    CINVisit,
    Referral,
)
from goldenthread.records.models.cla import (
    CLAEpisode,
    CLAReview,
    CLAVisit,
    IROContact,
    PeriodOfCare,
    Placement,
)
from goldenthread.records.models.cp import (
    CPPlan,
    CPReview,
    CPVisit,
    InitialConference,
    Section47Enquiry,
    StrategyDiscussion,
)
from goldenthread.records.models.frontdoor import (
    Contact,
    EarlyHelpEpisode,
    PrivateFosteringNotification,
)
from goldenthread.records.models.health import (
    Conviction,
    HealthCheck,
    Immunisation,
    PersonalEducationPlan,
    SDQScore,
    SubstanceMisuse,
)
from goldenthread.records.models.missing import MissingEpisode
from goldenthread.records.models.people import (
    Address,
    Household,
    HouseholdMember,
    ImmigrationStatus,
    Person,
    PersonDisability,
    Relationship,
)
from goldenthread.records.models.permanence import Permanence, PermanencePlan, PreviousPermanence
from goldenthread.records.models.workforce import (
    Involvement,
    Professional,
    Team,
    TeamKind,
    TeamMembership,
)

__all__ = [
    "Address", "Assessment", "AssessmentFactor", "CINPlan", "CINVisit", "CLAEpisode", "CLAReview",
    "CLAVisit", "CPPlan", "CPReview", "CPVisit", "CareLeaver", "CareLeaverContact", "CaseNote",
    "ChildPopulation", "ChronologyEntry", "Contact", "Conviction", "EarlyHelpEpisode",
    "HealthCheck", "Household", "HouseholdMember", "IROContact", "ImmigrationStatus",
    "Immunisation", "InitialConference", "Involvement", "LocalAuthority", "MissingEpisode",
    "PathwayPlan", "PeriodOfCare", "Permanence", "PermanencePlan", "Person", "PersonDisability",
    "PersonalEducationPlan", "Placement", "PreviousPermanence", "PrivateFosteringNotification",
    "Professional", "Referral", "Relationship", "SDQScore", "Section47Enquiry",
    "StrategyDiscussion", "SubstanceMisuse", "Supervision", "Team", "TeamKind", "TeamMembership",
]
