"""Feeds: what each feed holds (`definitions`), as neutral values (`model`), written as Atom
and RSS (`atom_rss`, the only user of feedgen), JSON Feed (`jsonfeed`) and OPML (`opml`)."""
