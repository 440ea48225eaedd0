import pytest

from opcc.models import Role
from tests.conftest import sign_in


@pytest.mark.parametrize("role", list(Role))
def test_every_role_lands_on_a_home_page_of_its_own(client, world, role):
    sign_in(client, world.users[role])
    response = client.get("/home/")
    assert response.status_code == 200
    assert world.users[role].full_name in response.content.decode()


def test_the_site_has_its_own_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert (
        icon.status_code == 200 and b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"
    )  # an .ico file
    page = client.get("/sign-in/").content.decode()
    assert 'rel="icon" href="/static/images/favicon.svg"' in page
