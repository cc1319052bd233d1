import factory
from django.contrib.auth.models import Permission

from shop.models import User

DEFAULT_PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"shopper{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(DEFAULT_PASSWORD)


class StaffFactory(UserFactory):
    """A superuser by default. `StaffFactory(is_superuser=False, permissions=[...])` makes a
    staff member holding only the permissions named ("checkout.refund_order")."""

    class Meta:
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"staff{n}@example.com")
    is_staff = True
    is_superuser = True

    @factory.post_generation
    def permissions(self, create, names, **kwargs):
        for name in names or ():
            app_label, codename = name.split(".")
            self.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
