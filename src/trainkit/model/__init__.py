"""The academy as one immutable, fully resolved model.

Everything here is plain data: no I/O, no logging. The loader and resolver
build it once; rules and writers only read it. Times are timezone-aware
``datetime`` values (local wall time in the session's IANA zone), so
comparisons between zones and across daylight-saving changes are correct.
"""

from trainkit.model.academy import Academy
from trainkit.model.assessments import ASSESSMENT_COLUMNS, Assessment, AssessmentResult, Criterion
from trainkit.model.common import Loc
from trainkit.model.costs import Cost, Rate
from trainkit.model.courses import Choice, Course, Module, Question, Quiz
from trainkit.model.invoicing import IssuedDocument, Payment
from trainkit.model.people import (
    Address,
    Instructor,
    Learner,
    Qualification,
    Room,
    Unavailability,
    Venue,
)
from trainkit.model.programs import (
    CertificatePolicy,
    Cohort,
    CompletionRules,
    Enrollment,
    OpenSlot,
    Prerequisites,
    Program,
    QuizRequirement,
    Recurrence,
    RequirementGroup,
    Session,
    SessionTemplate,
)
from trainkit.model.records import (
    ANSWER_COLUMNS,
    RECORD_LOCATION_FIELDS,
    Answer,
    AttendanceRecord,
    Column,
    Converted,
    QuizResult,
    Records,
    Revocation,
    Row,
)
from trainkit.model.settings import (
    Blackout,
    CertificateSettings,
    Competency,
    CompetencyRef,
    FeedSettings,
    HolidayCalendar,
    NotificationSettings,
    Registration,
    Settings,
    SiteSettings,
    SmtpSettings,
)
from trainkit.model.skills import Evidence, Override, Role, RoleRequirement
from trainkit.model.surveys import (
    NPS_SCALE,
    RESPONSE_COLUMNS,
    FeedbackSettings,
    Group,
    GroupCounts,
    ResponseFile,
    Survey,
    SurveyQuestion,
)

__all__ = [
    "ANSWER_COLUMNS",
    "ASSESSMENT_COLUMNS",
    "Academy",
    "Address",
    "Answer",
    "Assessment",
    "AssessmentResult",
    "Criterion",
    "FeedbackSettings",
    "Group",
    "GroupCounts",
    "NPS_SCALE",
    "RESPONSE_COLUMNS",
    "ResponseFile",
    "Survey",
    "SurveyQuestion",
    "AttendanceRecord",
    "Blackout",
    "CertificatePolicy",
    "CertificateSettings",
    "Choice",
    "Cohort",
    "Column",
    "Competency",
    "CompetencyRef",
    "CompletionRules",
    "Converted",
    "Cost",
    "Course",
    "Enrollment",
    "OpenSlot",
    "Evidence",
    "FeedSettings",
    "NotificationSettings",
    "HolidayCalendar",
    "Instructor",
    "IssuedDocument",
    "Learner",
    "Loc",
    "Module",
    "Override",
    "Payment",
    "Prerequisites",
    "Program",
    "Qualification",
    "Question",
    "Quiz",
    "Rate",
    "QuizRequirement",
    "QuizResult",
    "RECORD_LOCATION_FIELDS",
    "Records",
    "Recurrence",
    "Registration",
    "RequirementGroup",
    "Revocation",
    "Role",
    "RoleRequirement",
    "Room",
    "Row",
    "Session",
    "SessionTemplate",
    "Settings",
    "SiteSettings",
    "SmtpSettings",
    "Unavailability",
    "Venue",
]
