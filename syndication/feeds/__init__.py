"""Feeds: what each feed holds (`definitions`), as neutral values (`model`), written as Atom
and RSS (`render`, the only user of feedgen), JSON Feed (`jsonfeed`) and OPML (`opml`)."""
