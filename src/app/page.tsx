import { LabList } from "./_components/LabList";
import { Home } from "./_components/home/Home";

export default function HomePage() {
  return (
    <>
      <h1>Your labs</h1>
      <Home />
      <section aria-labelledby="labs-title">
        <h2 id="labs-title">Labs</h2>
        <p className="tagline">
          Each lab gives you a Docker host of your own: you type the tutorial&apos;s commands, and each step checks what you made.
          They follow the tutorial&apos;s order.
        </p>
        <LabList />
      </section>
    </>
  );
}
