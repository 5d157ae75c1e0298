"""Which usernames a delegate's words mention with @."""

from resolutions.un.mentions import mentioned_usernames


def test_mentions_in_order_each_once():
    text = "@lars can you ask @amina? @lars again"
    assert mentioned_usernames(text) == ["lars", "amina"]


def test_an_email_address_mentions_no_one():
    assert mentioned_usernames("Write to amina@un.org or lars@mission.no.") == []


def test_punctuation_after_a_name_is_not_part_of_it():
    assert mentioned_usernames("Thanks @lars. And @amina, and (@ingrid)!") == [
        "lars",
        "amina",
        "ingrid",
    ]


def test_usernames_as_django_allows_them():
    assert mentioned_usernames("@kim.lee @jo-ann @a_b @x+y") == ["kim.lee", "jo-ann", "a_b", "x+y"]


def test_a_lone_at_sign_mentions_no_one():
    assert mentioned_usernames("We meet @ 10:00 in room 4 @") == []


def test_the_same_name_in_other_case_is_one_mention():
    assert mentioned_usernames("@Lars and @lars") == ["Lars"]
