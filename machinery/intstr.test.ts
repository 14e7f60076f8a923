import { describe, expect, it } from 'vitest';
import { PERCENT_ERROR, isValidPercent, percentValue, scaledValueFromIntOrPercent } from './intstr.js';

describe('IntOrString', () => {
  it('scales a percentage of a total, rounded up or down (GetScaledValueFromIntOrPercent)', () => {
    expect(scaledValueFromIntOrPercent(3, 10, true)).toBe(3);
    expect(scaledValueFromIntOrPercent('25%', 10, true)).toBe(3);
    expect(scaledValueFromIntOrPercent('25%', 10, false)).toBe(2);
    expect(scaledValueFromIntOrPercent('100%', 7, true)).toBe(7);
    expect(scaledValueFromIntOrPercent('0%', 7, true)).toBe(0);
  });

  it('refuses strings that are not percentages with upstream messages', () => {
    expect(() => scaledValueFromIntOrPercent('3', 10, true)).toThrow('invalid value for IntOrString: invalid type: string is not a percentage');
    expect(() => scaledValueFromIntOrPercent('x%', 10, true)).toThrow('invalid value for IntOrString: invalid value "x%"');
    expect(() => scaledValueFromIntOrPercent(undefined, 10, true)).toThrow('nil value for IntOrString');
  });

  it('IsValidPercent and the percent value', () => {
    expect(isValidPercent('50%')).toEqual([]);
    expect(isValidPercent('50')).toEqual([PERCENT_ERROR]);
    expect(isValidPercent('-5%')).toEqual([PERCENT_ERROR]);
    expect(percentValue('120%')).toBe(120);
    expect(percentValue(5)).toBeUndefined();
  });
});
