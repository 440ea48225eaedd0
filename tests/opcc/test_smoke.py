import pytest

from opcc.models import Role
from tests.conftest import sign_in


@pytest.mark.parametrize("role", list(Role))
def test_every_role_lands_on_a_home_page_of_its_own(client, world, role):
    sign_in(client, world.users[role])
    response = client.get("/home/")
    assert response.status_code == 200
    assert world.users[role].full_name in response.content.decode()
