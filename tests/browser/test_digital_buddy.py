"""Digital buddies as their people use them, in Finnish and by keyboard
only, on pages without any script: the demo volunteer (who has passed the
first part of the buddy course) finds the course in the staff navigation,
is refused the buddy page in plain words, answers the first part again,
gets a question of the second part wrong, is told which one to look at,
answers it right and so completes the course. worker2 (of the volunteer's
organisation) then gives the registered client `yhteydenpito` to the
volunteer, who sees them on the buddy page. axe finds nothing on any page,
and each reads at 320 px without scrolling sideways.

The server is shared with the other tests: nothing here changes the course."""

from __future__ import annotations

from conftest import WORKER2, check_page, sign_in

FI = {"locale": "fi-FI"}
VOLUNTEER = "volunteer1@demo.invalid"


def press(page, locator) -> None:
    """Focus a button or a link and press Enter; wait for the page that follows."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def check(page) -> None:
    """No script on the page (it works without JavaScript), axe finds nothing, and 320 px reads."""
    assert page.locator("script").count() == 0, page.url
    check_page(page)


def choose(page, selector: str) -> None:
    """Choose a radio button by keyboard: focus it and press Space."""
    page.focus(selector)
    page.keyboard.press("Space")


def test_a_volunteer_completes_the_buddy_course_by_keyboard_and_then_sees_an_assigned_client(new_context, server):
    context = new_context(**FI)
    volunteer = context.new_page()
    sign_in(volunteer, server, VOLUNTEER)
    press(volunteer, volunteer.get_by_role("link", name="Kaverikurssi"))
    assert volunteer.get_by_role("heading", name="Kaverikurssi", level=1).count() == 1
    assert volunteer.get_by_text("Tehty: 1/2 osaa.").count() == 1
    check(volunteer)

    # Not a buddy yet: refused, in plain words, with the way to the course.
    response = volunteer.goto(f"{server.url}/digital/buddy")
    assert response.status == 403
    assert volunteer.get_by_text("Et ole vielä digikaveri.", exact=False).count() == 1
    check(volunteer)
    press(volunteer, volunteer.get_by_role("link", name="Siirry kaverikurssille"))

    # The first part again: both right.
    press(volunteer, volunteer.get_by_role("link", name="Näin autat toista"))
    assert volunteer.get_by_text("Olet tehnyt tämän osan.", exact=False).count() == 1
    check(volunteer)
    choose(volunteer, "#q1-1")
    choose(volunteer, "#q2-2")
    press(volunteer, volunteer.get_by_role("button", name="Tarkista vastaukset"))
    assert volunteer.get_by_text("Kaikki vastaukset ovat oikein.", exact=False).count() == 1
    check(volunteer)

    # The second part: the first question wrong, then both right.
    press(volunteer, volunteer.get_by_role("link", name="Siirry seuraavaan osaan"))
    assert volunteer.get_by_role("heading", name="Turvallisuus ja huijaukset", level=1).count() == 1
    assert volunteer.get_by_role("link", name="Kyberturvallisuuskeskus").count() == 1
    check(volunteer)
    choose(volunteer, "#q1-1")
    choose(volunteer, "#q2-2")
    press(volunteer, volunteer.get_by_role("button", name="Tarkista vastaukset"))
    assert volunteer.get_by_text("Katso uudelleen nämä kysymykset: 1.", exact=False).count() == 1
    assert volunteer.locator("#q2-2").is_checked()
    check(volunteer)
    choose(volunteer, "#q1-2")
    press(volunteer, volunteer.get_by_role("button", name="Tarkista vastaukset"))
    assert volunteer.get_by_text("Teit koko kurssin. Olet nyt digikaveri.", exact=False).count() == 1
    check(volunteer)
    press(volunteer, volunteer.get_by_role("link", name="Katso asiakkaasi."))
    assert volunteer.get_by_text("Sinulla ei ole vielä asiakkaita.").count() == 1
    check(volunteer)

    # worker2 gives a registered client to the new buddy.
    worker = new_context(**FI).new_page()
    sign_in(worker, server, WORKER2)
    worker.goto(f"{server.url}/digital/events")
    press(worker, worker.get_by_role("link", name="Digikaverit"))
    assert worker.get_by_role("heading", name="Vapaaehtoinen Ville", level=2).count() == 1
    check(worker)
    worker.focus("#assign-nickname")
    worker.keyboard.type("yhteydenpito")
    press(worker, worker.get_by_role("button", name="Anna asiakas"))
    assert worker.get_by_role("button", name="Poista listalta: yhteydenpito").count() == 1
    check(worker)

    volunteer.reload()
    assert volunteer.get_by_role("heading", name="yhteydenpito", level=2).count() == 1
    assert volunteer.get_by_role("heading", name="Tavoitteet", level=3).count() == 1
    check(volunteer)
