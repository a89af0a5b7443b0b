import { ComingSoon } from '../components/coming-soon.tsx';

/** 政策计算器 — public, no sign-in. Placeholder until the calculator is built. */
export default function CalculatorPage() {
  return <ComingSoon titleKey="placeholder.calculatorTitle" bodyKey="placeholder.calculatorBody" />;
}
