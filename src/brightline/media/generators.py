"""Generator metadata left by Stable Diffusion front ends (reference §4): traces, not labels.

- AUTOMATIC1111 webui writes its "infotext" to PNG text key ``parameters`` (JPEG/WebP: EXIF UserComment):
  prompt lines, an optional ``Negative prompt:`` line, and a last line ``Steps: 20, Sampler: Euler a, …``.
- ComfyUI writes PNG text keys ``prompt`` (API graph: node id → ``{"class_type", "inputs"}``) and
  ``workflow`` (UI graph: ``{"nodes": [...], "links": [...]}``), both JSON.
- InvokeAI, NovelAI and older forks use ``invokeai_metadata``, ``sd-metadata``, ``dream``, ``generation_data``.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Text keys that, when present, are generator metadata.
KEYS: frozenset[str] = frozenset({"parameters", "prompt", "workflow", "invokeai_metadata", "sd-metadata", "dream",
                                  "generation_data"})

# A1111's own infotext parameter pattern (modules/infotext_utils.py re_param), values may be quoted.
_PARAM = re.compile(r'\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)')
_MAX_TEXT = 1 << 20


def parse_a1111(text: str) -> dict[str, Any] | None:
    """Split an AUTOMATIC1111 infotext into prompt, negative prompt and settings; None if it is not one."""
    lines = text.strip().split("\n")
    if not lines:
        return None
    last = lines[-1]
    params: dict[str, str] = {}
    for m in _PARAM.finditer(last):
        key, value = m.group(1).strip(), m.group(2).strip()
        if value.startswith('"') and value.endswith('"') and len(value) > 1:
            try:
                value = json.loads(value)
            except ValueError:
                value = value[1:-1]
        params[key] = value
    if "Steps" not in params or not ({"Sampler", "Seed", "CFG scale"} & params.keys()):
        return None
    prompt_lines: list[str] = []
    negative: list[str] = []
    target = prompt_lines
    for line in lines[:-1]:
        if line.startswith("Negative prompt:"):
            target = negative
            line = line[len("Negative prompt:"):].lstrip()
        target.append(line)
    out: dict[str, Any] = {"tool": "AUTOMATIC1111", "prompt": "\n".join(prompt_lines).strip(),
                           "negative_prompt": "\n".join(negative).strip(), "settings": params}
    for key, field in (("Model", "model"), ("Model hash", "model_hash"), ("Seed", "seed"), ("Version", "version")):
        if key in params:
            out[field] = params[key]
    return out


def _comfy_prompt(obj: Any) -> dict[str, Any] | None:
    if not isinstance(obj, dict) or not obj:
        return None
    nodes = [n for n in obj.values() if isinstance(n, dict) and "class_type" in n]
    if not nodes:
        return None
    classes = sorted({str(n["class_type"]) for n in nodes})
    models = sorted({str(v) for n in nodes for k, v in (n.get("inputs") or {}).items()
                     if k in ("ckpt_name", "unet_name", "model_name") and isinstance(v, str)})
    texts = [n["inputs"]["text"] for n in nodes if n.get("class_type", "").startswith("CLIPTextEncode")
             and isinstance(n.get("inputs"), dict) and isinstance(n["inputs"].get("text"), str)]
    return {"tool": "ComfyUI", "graph": "prompt", "nodes": len(nodes), "node_types": classes[:30],
            "models": models, "prompts": [t[:500] for t in texts[:4]]}


def _comfy_workflow(obj: Any) -> dict[str, Any] | None:
    if not isinstance(obj, dict) or not isinstance(obj.get("nodes"), list):
        return None
    types = sorted({str(n.get("type")) for n in obj["nodes"] if isinstance(n, dict) and n.get("type")})
    if not types:
        return None
    return {"tool": "ComfyUI", "graph": "workflow", "nodes": len(obj["nodes"]), "node_types": types[:30]}


def looks_like_infotext(text: str) -> bool:
    """Cheap test before parsing an EXIF comment as A1111 infotext."""
    return "Steps:" in text and ("Sampler:" in text or "Seed:" in text)


def interpret(key: str, text: str) -> tuple[dict[str, Any], bool | None, str] | None:
    """Generator facts in one text field as (data, ai, detail), or None if the field says nothing about one."""
    text = text[:_MAX_TEXT]
    k = key.lower()
    if k == "parameters" or (k not in KEYS and looks_like_infotext(text)):
        parsed = parse_a1111(text)
        if parsed:
            return parsed, True, f"AUTOMATIC1111 infotext (model {parsed.get('model', '?')}, seed {parsed.get('seed', '?')})"
        if k == "parameters":
            return {"text": text[:500]}, None, "text key 'parameters' is not in AUTOMATIC1111 infotext form"
        return None
    if k in ("prompt", "workflow"):
        try:
            obj = json.loads(text)
        except ValueError:
            return None  # a plain-language "prompt" text field is not ComfyUI's graph
        parsed = _comfy_prompt(obj) if k == "prompt" else _comfy_workflow(obj)
        if parsed is None:
            return None
        return parsed, True, f"ComfyUI {k} graph with {parsed['nodes']} nodes"
    if k in KEYS:
        return {"tool": key, "text": text[:500]}, True, f"generator metadata key {key!r}"
    return None
