import type { Target } from '../session/model.ts';
import { isRecord } from './read-input.ts';

/** An element of an rrweb serialized DOM, reduced to what a target needs. */
export interface RrwebNode {
  id: number;
  tag?: string;
  attributes: Record<string, unknown>;
  text: string;
  parent?: number;
  children: number[];
}

const CONTROL_TAGS = new Set(['a', 'button', 'input', 'select', 'textarea', 'label', 'summary', 'option']);

/** Node id → element, built from full snapshots (type 2) and mutation adds. */
export class RrwebNodeMap {
  readonly nodes = new Map<number, RrwebNode>();

  addTree(node: unknown, parent?: number): void {
    if (!isRecord(node) || typeof node['id'] !== 'number') return;
    const id = node['id'];
    const entry: RrwebNode = {
      id,
      ...(typeof node['tagName'] === 'string' ? { tag: node['tagName'].toLowerCase() } : {}),
      attributes: isRecord(node['attributes']) ? node['attributes'] : {},
      text: node['type'] === 3 && typeof node['textContent'] === 'string' ? node['textContent'] : '',
      ...(parent === undefined ? {} : { parent }),
      children: [],
    };
    this.nodes.set(id, entry);
    if (parent !== undefined) this.nodes.get(parent)?.children.push(id);
    const children = node['childNodes'];
    if (Array.isArray(children)) for (const c of children) this.addTree(c, id);
  }

  textOf(id: number, skip?: number, depth = 0): string {
    const n = this.nodes.get(id);
    if (n === undefined || id === skip || depth > 20) return '';
    if (n.tag === 'script' || n.tag === 'style') return '';
    return (n.text + n.children.map((c) => this.textOf(c, skip, depth + 1)).join(' ')).replace(/\s+/g, ' ').trim();
  }

  /** The `for` attribute of a wrapping <label>: often the only name a bare field has. */
  wrappingLabelFor(n: RrwebNode): string | undefined {
    const p = n.parent === undefined ? undefined : this.nodes.get(n.parent);
    const f = p?.tag === 'label' ? p.attributes['for'] : undefined;
    return typeof f === 'string' && f !== '' ? f : undefined;
  }

  /** The text of the label for a field: a wrapping <label>, or <label for=id>. */
  labelOf(n: RrwebNode): string | undefined {
    let p = n.parent;
    for (let depth = 0; p !== undefined && depth < 5; depth++) {
      const pn = this.nodes.get(p);
      if (pn === undefined) break;
      if (pn.tag === 'label') return this.textOf(pn.id, n.id) || undefined;
      p = pn.parent;
    }
    const id = n.attributes['id'];
    if (typeof id === 'string' && id !== '') {
      for (const other of this.nodes.values()) {
        if (other.tag === 'label' && other.attributes['for'] === id) return this.textOf(other.id) || undefined;
      }
    }
    return undefined;
  }

  /**
   * The element a click on node `id` acts on: the nearest control or link around it (a click lands
   * on the innermost node, often a <span> inside a link), else the node itself.
   */
  controlAround(id: number): number {
    let at: number | undefined = id;
    for (let depth = 0; at !== undefined && depth < 8; depth++) {
      const n = this.nodes.get(at);
      if (n === undefined) break;
      if ((n.tag !== undefined && CONTROL_TAGS.has(n.tag)) || typeof n.attributes['role'] === 'string') return at;
      at = n.parent;
    }
    return id;
  }

  /** True when `ancestor` contains `id` (or is it). */
  contains(ancestor: number, id: number): boolean {
    let at: number | undefined = id;
    for (let depth = 0; at !== undefined && depth < 200; depth++) {
      if (at === ancestor) return true;
      at = this.nodes.get(at)?.parent;
    }
    return false;
  }

  target(id: number): Target | undefined {
    const n = this.nodes.get(id);
    if (n === undefined || n.tag === undefined) return undefined;
    const attr = (k: string) => (typeof n.attributes[k] === 'string' && n.attributes[k] !== '' ? (n.attributes[k] as string) : undefined);
    const elementId = attr('id');
    const nameAttr = attr('name');
    const inputType = n.tag === 'input' ? (attr('type') ?? 'text') : undefined;
    const classes = attr('class')
      ?.split(/\s+/)
      .filter((c) => c !== '');
    const text = n.tag === 'input' || n.tag === 'textarea' || n.tag === 'select' ? undefined : this.textOf(id).slice(0, 200) || undefined;
    const label = this.labelOf(n);
    const accessibleName = attr('aria-label') ?? label ?? (n.tag === 'button' || n.tag === 'a' ? text : undefined) ?? attr('placeholder');
    const fieldName = nameAttr ?? label ?? this.wrappingLabelFor(n);
    let selector = n.tag;
    if (elementId !== undefined) selector += `#${elementId}`;
    else if (nameAttr !== undefined) selector += `[name="${nameAttr}"]`;
    else if (inputType !== undefined) selector += `[type="${inputType}"]`;
    // A link is known by where it goes.
    else if (n.tag === 'a' && attr('href') !== undefined) selector += `[href="${attr('href')}"]`;
    if (inputType === 'radio' || inputType === 'checkbox') {
      const value = attr('value');
      if (value !== undefined) selector += `[value="${value}"]`;
    }
    return {
      selector,
      tag: n.tag,
      ...(elementId === undefined ? {} : { id: elementId }),
      ...(classes === undefined || classes.length === 0 ? {} : { classes }),
      ...(attr('role') === undefined ? {} : { role: attr('role') }),
      ...(accessibleName === undefined ? {} : { name: accessibleName }),
      ...(text === undefined ? {} : { text }),
      ...(fieldName === undefined ? {} : { field: fieldName }),
      ...(inputType === undefined ? {} : { inputType }),
    };
  }
}
