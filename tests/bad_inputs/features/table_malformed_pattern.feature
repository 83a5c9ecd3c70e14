Feature: bad input
  Scenario: an inline bot with a broken pattern
    Given a bot "Echo" with dialogs:
      | dialog | patterns    | replies |
      | Hello  | (hi\|hello  | Hello!  |
