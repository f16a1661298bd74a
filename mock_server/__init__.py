"""pimkit's fake: a stateful local stand-in for five PIM vendor APIs, served by Connexion 3."""
