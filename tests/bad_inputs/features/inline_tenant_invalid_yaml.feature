Feature: bad input
  Scenario: a tenant docstring that is not YAML
    Given a tenant defined as:
      """
      bots: [
        {name: Echo
      """
