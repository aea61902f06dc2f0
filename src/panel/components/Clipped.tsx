import React, { useEffect, useRef, useState } from 'react';
import { cx } from '@emotion/css';
import { Tooltip, useStyles2 } from '@grafana/ui';

import { highlightRanges, type SearchField, type SearchTerm } from '../search';
import { getPanelStyles } from './styles';

interface Props {
  text: string;
  /** Search terms to highlight, and the field this text is, so a `who:` term does not light up an object. */
  terms?: SearchTerm[];
  field?: SearchField | SearchField[];
  className?: string;
  /** Full text for the tooltip when it differs from the text shown (a full date for a short time). */
  full?: string;
}

/** Text that ends in an ellipsis when cut, says the whole of it in a Grafana tooltip, and marks search hits. */
export function Clipped({ text, terms = [], field, className, full }: Props) {
  const styles = useStyles2(getPanelStyles);
  const ref = useRef<HTMLSpanElement>(null);
  const [tip, setTip] = useState(false);
  // Wrapping the text in a tooltip remounts it under the pointer, which then never gets its mouseleave:
  // the page's own pointer moves say when the pointer has left.
  useEffect(() => {
    if (!tip) {
      return undefined;
    }
    const away = (e: Event) => {
      if (!(e.target instanceof Node) || !ref.current?.contains(e.target)) {
        setTip(false);
      }
    };
    document.addEventListener('pointermove', away, true);
    document.addEventListener('pointerdown', away, true);
    document.addEventListener('scroll', away, true);
    return () => {
      document.removeEventListener('pointermove', away, true);
      document.removeEventListener('pointerdown', away, true);
      document.removeEventListener('scroll', away, true);
    };
  }, [tip]);
  const ranges = field ? highlightRanges(text, terms, field) : [];
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [a, b] of ranges) {
    parts.push(
      text.slice(at, a),
      <mark key={a} className={styles.mark}>
        {text.slice(a, b)}
      </mark>
    );
    at = b;
  }
  parts.push(text.slice(at));
  const span = (
    <span
      ref={ref}
      className={cx(styles.clip, className)}
      dir="auto"
      onMouseEnter={() => {
        const el = ref.current;
        setTip(full !== undefined || (el !== null && el.scrollWidth > el.clientWidth));
      }}
      onMouseLeave={() => setTip(false)}
    >
      {parts}
    </span>
  );
  // Only a hovered, cut text carries a tooltip: a thousand idle tooltips would each watch the page.
  return tip ? (
    <Tooltip content={full ?? text} show placement="top">
      {span}
    </Tooltip>
  ) : (
    span
  );
}
