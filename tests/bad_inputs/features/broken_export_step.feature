Feature: bad input
  Scenario: a bot from a broken export
    Given the bot exported in "../exports/missing_bot.json"
