"""The OpenAPI 3.1 description of the admin API (`api.py`), written by hand beside it."""

from __future__ import annotations

from typing import Any, Final


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERRORS: Final = {
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "503": {"$ref": "#/components/responses/Off"},
}
_EMAIL = {"name": "email", "in": "path", "required": True, "schema": {"type": "string"}}
_STRINGS = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            "description": "several values as a list or `;`-joined"}

OPENAPI: Final[dict[str, Any]] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Syndication admin API",
        "version": "1.0.0",
        "description": "Subscribers, lists, releases and deliveries of the press office. "
        "Every operation needs `Authorization: Bearer <token>`.",
    },
    "security": [{"bearer": []}],
    "paths": {
        "/api/subscribers": {
            "get": {
                "summary": "One page of subscribers (active and pending; all=true for all)",
                "parameters": [
                    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                    {"name": "limit", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
                    {"name": "list", "in": "query", "schema": {"type": "string"}},
                    {"name": "all", "in": "query", "schema": {"type": "boolean"}},
                ],
                "responses": {"200": _json(_ref("SubscriberPage"), "A page"), **_ERRORS},
            },
            "post": {
                "summary": "Add an active subscriber (consent source: admin)",
                "requestBody": {"content": {"application/json": {"schema": _ref("NewSubscriber")}}},
                "responses": {
                    "201": _json(_ref("Subscriber"), "Added"),
                    "409": _json(_ref("Error"), "Already a subscriber, or erased"),
                    "422": _json(_ref("Error"), "Invalid address, language, list or theme"),
                    **_ERRORS,
                },
            },
        },
        "/api/subscribers/{email}": {
            "get": {
                "summary": "Everything held about a person (GDPR access)",
                "parameters": [_EMAIL],
                "responses": {"200": _json(_ref("Person"), "The person"),
                              "404": _json(_ref("Error"), "Unknown"), **_ERRORS},
            },
            "delete": {
                "summary": "Erase a person everywhere, keeping a keyed hash (GDPR erasure)",
                "parameters": [_EMAIL],
                "responses": {"200": _json({"type": "object"}, "Erased"), **_ERRORS},
            },
        },
        "/api/subscribers/{email}/remove": {
            "post": {
                "summary": "Unsubscribe from one list or from all; the record stays",
                "parameters": [
                    _EMAIL, {"name": "list", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {"200": _json(_ref("Subscriber"), "Unsubscribed"),
                              "404": _json(_ref("Error"), "Unknown"), **_ERRORS},
            },
        },
        "/api/lists": {
            "get": {
                "summary": "Every list with its number of active members",
                "responses": {"200": _json({"type": "array", "items": _ref("List")}, "Lists"),
                              **_ERRORS},
            },
            "post": {
                "summary": "Create a list",
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "required": ["name"],
                    "properties": {"name": {"type": "string"}, "label": {"type": "string"}},
                }}}},
                "responses": {"201": _json(_ref("List"), "Created"),
                              "409": _json(_ref("Error"), "Exists"), **_ERRORS},
            },
        },
        "/api/lists/{name}": {
            "delete": {
                "summary": "Delete a list and its subscriptions",
                "parameters": [{"name": "name", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": {"200": _json({"type": "object"}, "Deleted"),
                              "404": _json(_ref("Error"), "Unknown"), **_ERRORS},
            },
        },
        "/api/releases": {
            "get": {
                "summary": "Releases, scheduled or public, with delivery counts",
                "parameters": [{"name": "status", "in": "query",
                                "schema": {"enum": ["scheduled", "public"]}}],
                "responses": {"200": _json({"type": "array", "items": _ref("Release")},
                                           "Releases"), **_ERRORS},
            },
        },
        "/api/releases/{id}/audience": {
            "get": {
                "summary": "How many subscribers a release's mailings reach, by language",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": {"200": _json(_ref("Audience"), "Reach"),
                              "404": _json(_ref("Error"), "Unknown release"), **_ERRORS},
            },
        },
        "/api/deliveries": {
            "get": {
                "summary": "Delivery counts by mailing and status, and the failures",
                "parameters": [{"name": "release", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": _json(_ref("Deliveries"), "Counts"), **_ERRORS},
            },
        },
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "responses": {
            "Unauthorized": _json(_ref("Error"), "No bearer token, or a wrong one"),
            "Off": _json(_ref("Error"), "No admin token is configured: the API is off"),
        },
        "schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
            "Subscriber": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"}, "email": {"type": "string"},
                    "name": {"type": "string"}, "organisation": {"type": "string"},
                    "languages": {"type": "array", "items": {"type": "string"}},
                    "status": {"enum": ["pending", "active", "unsubscribed", "suppressed"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "confirmed_at": {"type": ["string", "null"], "format": "date-time"},
                    "bounces": {"type": "integer"},
                    "lists": {"type": "array", "items": {"type": "string"}},
                },
            },
            "NewSubscriber": {
                "type": "object", "required": ["email"],
                "properties": {
                    "email": {"type": "string"}, "name": {"type": "string"},
                    "organisation": {"type": "string"}, "languages": _STRINGS,
                    "lists": _STRINGS, "themes": _STRINGS,
                    "frequency": {"enum": ["immediate", "daily", "weekly"]},
                    "resubscribe": {"type": "string", "enum": ["true", "false"]},
                },
            },
            "SubscriberPage": {
                "type": "object",
                "properties": {
                    "total": {"type": "integer"}, "offset": {"type": "integer"},
                    "limit": {"type": "integer"},
                    "items": {"type": "array", "items": _ref("Subscriber")},
                },
            },
            "Person": {"allOf": [_ref("Subscriber"), {"type": "object", "properties": {
                "subscriptions": {"type": "array", "items": {"type": "object"}},
                "consents": {"type": "array", "items": {"type": "object"}},
                "deliveries": {"type": "array", "items": {"type": "object"}},
            }}]},
            "List": {"type": "object", "properties": {
                "name": {"type": "string"}, "label": {"type": "string"},
                "members": {"type": "integer"},
            }},
            "Release": {"type": "object", "properties": {
                "id": {"type": "string"}, "status": {"enum": ["scheduled", "public"]},
                "published": {"type": "string", "format": "date-time"},
                "updated": {"type": ["string", "null"], "format": "date-time"},
                "titles": {"type": "object", "additionalProperties": {"type": "string"}},
                "themes": {"type": "array", "items": {"type": "string"}},
                "lists": {"type": "array", "items": {"type": "string"}},
                "embargo": {"type": ["object", "null"]},
                "deliveries": {"type": "object", "additionalProperties": {"type": "integer"}},
            }},
            "Audience": {"type": "object", "properties": {
                "release": {"type": "string"},
                "alert": {"type": "object", "additionalProperties": {"type": "integer"}},
                "digest": {"type": "object"},
                "embargo": {"type": ["object", "null"]},
            }},
            "Deliveries": {"type": "object", "properties": {
                "mailings": {"type": "array", "items": {"type": "object"}},
                "retries": {"type": "array", "items": {"type": "object"}},
                "failures": {"type": "array", "items": {"type": "object"}},
                # Bounces and complaints recorded per mailing, and reports kept aside.
                "after_sending": {"type": "object", "properties": {
                    "mailings": {"type": "array", "items": {"type": "object"}},
                    "unmatched": {"type": "object",
                                  "additionalProperties": {"type": "integer"}},
                }},
            }},
        },
    },
}
