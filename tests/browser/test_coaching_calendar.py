"""A coachee's appointment as a calendar program reads it: the invitation
(iCalendar, RFC 5545) parsed with Python's `icalendar`, through a booking, a
move and a cancellation. The event keeps its UID, its SEQUENCE rises, and the
times are the booked ones in Helsinki time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import requests
from icalendar import Calendar

from conftest import start_server


def session(srv, path: str, fields: dict) -> requests.Session:
    """Signed in through the real form (the CSRF cookie and field as a browser sends them)."""
    s = requests.Session()
    s.headers["Origin"] = srv.url
    s.get(srv.url + path).raise_for_status()
    r = s.post(srv.url + path, data={**fields, "csrf": s.cookies["k_csrf"]}, allow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    return s


def event(s: requests.Session, srv, appointment: str):
    r = s.get(f"{srv.url}/api/coaching/appointments/{appointment}/invitation.ics")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(r.text)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1
    return calendar, events[0]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_an_invitation_keeps_its_uid_through_a_move_and_a_cancellation(neutral_url):
    with start_server(neutral_url) as srv:
        coachee = session(srv, "/account/signin", {"nickname": "valmennettava", "password": srv.password})
        coach = session(srv, "/signin", {"email": "worker1@demo.invalid", "password": srv.password})
        mine = coachee.get(srv.url + "/api/my/coaching").json()
        service = mine[0]["service"]["id"]
        assert coachee.get(f"{srv.url}/api/coaching/services/{service}/slots").json(), "the demo has a free time"
        # A time three days ahead, so that the move below is well before the 24-hour limit,
        # at 06:00 UTC (8 or 9 in Helsinki): clear of worker 1's demo times (10:00 tomorrow
        # for coaching, Thursdays at 13:00 for digital support) whatever hour the test runs.
        # It once ran at 12:35 Helsinki time on a Saturday, and the move's time landed on
        # that Thursday's 13:00.
        ahead = (datetime.now(timezone.utc) + timedelta(days=3)).replace(hour=6, minute=0, second=0, microsecond=0)
        made = coach.post(f"{srv.url}/api/coaching/services/{service}/slots",
                          json={"start": ahead.strftime("%Y-%m-%dT%H:%M:%SZ"), "minutes": 45})
        assert made.status_code == 201, made.text
        first = made.json()
        booked = coachee.post(f"{srv.url}/api/coaching/services/{service}/appointments", json={"slot": first["id"]})
        assert booked.status_code == 201, booked.text
        appointment = booked.json()["id"]

        calendar, vevent = event(coachee, srv, appointment)
        assert str(calendar["METHOD"]) == "REQUEST"
        uid = str(vevent["UID"])
        assert uid == f"{appointment}@kohtaamo"
        assert int(vevent["SEQUENCE"]) == 0
        start = vevent.decoded("DTSTART")
        assert str(start.tzinfo) in ("Europe/Helsinki", "EET", "EEST") or start.tzinfo.key == "Europe/Helsinki"
        assert start.astimezone(timezone.utc) == utc(first["start"])
        assert vevent.decoded("DTEND") - start == timedelta(minutes=first["minutes"])
        assert vevent["ORGANIZER"].params["CN"] == "Työntekijä 1"
        assert vevent["ATTENDEE"].params["CN"] == "valmennettava"
        assert "@" not in str(vevent["ATTENDEE"]), "no e-mail address in the invitation"

        # The coach adds another time; the coachee moves there.
        later = (utc(first["start"]) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        made = coach.post(f"{srv.url}/api/coaching/services/{service}/slots", json={"start": later, "minutes": 30})
        assert made.status_code == 201, made.text
        moved = coachee.post(f"{srv.url}/api/coaching/appointments/{appointment}/move", json={"slot": made.json()["id"]})
        assert moved.status_code == 200, moved.text
        calendar, vevent = event(coach, srv, appointment)
        assert str(calendar["METHOD"]) == "REQUEST" and str(vevent["UID"]) == uid and int(vevent["SEQUENCE"]) == 1
        assert vevent.decoded("DTSTART").astimezone(timezone.utc) == utc(later)

        cancelled = coachee.post(f"{srv.url}/api/coaching/appointments/{appointment}/cancel")
        assert cancelled.status_code == 200, cancelled.text
        calendar, vevent = event(coachee, srv, appointment)
        assert str(calendar["METHOD"]) == "CANCEL" and str(vevent["UID"]) == uid and int(vevent["SEQUENCE"]) == 2
        assert str(vevent["STATUS"]) == "CANCELLED"
