from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    COMMISSIONING_OFFICER = "commissioning_officer", "Commissioning officer"
    HEAD_OF_COMMISSIONING = "head_of_commissioning", "Head of commissioning"
    PCC = "pcc", "Police and Crime Commissioner"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    PROVIDER = "provider", "Provider"
    COMMUNITY_AMBASSADOR = "community_ambassador", "Community ambassador"
    AREA_COMMANDER = "area_commander", "Local policing area commander"
    EVALUATOR = "evaluator", "Evaluator"
    AUDITOR = "auditor", "Auditor"


# Everyone but a provider works with confidential casework, so must use two-factor sign-in.
STAFF_ROLES = frozenset(r for r in Role if r != Role.PROVIDER)
AREA_ROLES = frozenset({Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.HEAD_OF_COMMISSIONING)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. The email address is the username."""

    email = models.EmailField("Email address", unique=True)
    full_name = models.CharField("Full name", max_length=150)
    job_title = models.CharField("Job title", max_length=150, blank=True)
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PROVIDER, db_index=True)
    # Ambassadors and area commanders act only for these areas.
    areas = models.ManyToManyField("opcc.LocalPolicingArea", blank=True, related_name="people")
    # The agency an evaluator or partner belongs to (providers use Membership instead).
    agency = models.ForeignKey(
        "opcc.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("May use the admin site", default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    # Role and area changes are audited; the password hash never is.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").lower()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def requires_two_factor(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_provider(self) -> bool:
        return self.role == Role.PROVIDER

    @property
    def role_label(self) -> str:
        return Role(self.role).label
