Feature: bad input
  Scenario: t
    Given a bot "Echo" with dialogs:
      | dialog | replies |
      | Hello  | Hi
